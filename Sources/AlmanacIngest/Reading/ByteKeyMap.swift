#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hash map from short byte strings to `Int32`, looked up straight from borrowed bytes
/// (a CSV cell, a JSON string value) without making a `String` or an array: the caches of
/// the per-row hot paths (validation, projection) are keyed this way.
///
/// Keys are compared byte for byte, so two spellings that Swift's `String` would call equal
/// (NFC and NFD) are two keys; callers cache results that are computed from the text, so
/// that only costs a second computation. Keys longer than the map's limit are refused (the
/// caller computes without caching), and the map holds at most ``entriesMax`` entries, so a
/// hostile file cannot make a cache grow without bound.
///
/// Storage is manual (pointers, not arrays): class properties of array type pay a dynamic
/// exclusivity check on every access, which shows on a path run for every row.
package final class ByteKeyMap {
    /// Longest key cached by default.
    package static let keyBytesMax = 256

    private struct Slot {
        /// 0 marks an empty slot; stored hashes have their low bit set.
        var hash: UInt64
        var offset: Int32
        var length: Int32
        var value: Int32
    }

    package let entriesMax: Int
    /// Longest key this map caches.
    package let keyBytesLimit: Int
    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    private var arena: UnsafeMutableRawPointer
    private var arenaCount = 0
    private var arenaCapacity: Int
    package private(set) var count = 0

    package init(entriesMax: Int = 1 << 16, keyBytesMax: Int = ByteKeyMap.keyBytesMax) {
        self.entriesMax = entriesMax
        keyBytesLimit = keyBytesMax
        let capacity = 64
        slots = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
        slots.initialize(repeating: Slot(hash: 0, offset: 0, length: 0, value: 0), count: capacity)
        mask = capacity - 1
        arenaCapacity = 4096
        arena = UnsafeMutableRawPointer.allocate(byteCount: arenaCapacity, alignment: 8)
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
    }

    /// Whether another entry may be added.
    package var isFull: Bool { count >= entriesMax }

    /// Whether a key of `length` bytes would be cached (given room).
    package func accepts(length: Int) -> Bool { length <= keyBytesLimit && count < entriesMax }

    /// A 64-bit hash of the bytes (with the low bit set, so 0 can mark an empty slot).
    @inline(__always)
    package static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        guard let p = bytes.baseAddress else { return h | 1 }
        var i = 0
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 31
        }
        h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
        h ^= h >> 32
        return h | 1
    }

    /// The value stored for `bytes`, or nil.
    @inline(__always)
    package func find(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        find(bytes, hash: ByteKeyMap.hash(bytes))
    }

    @inline(__always)
    package func find(_ bytes: UnsafeRawBufferPointer, hash h: UInt64) -> Int32? {
        var i = Int(truncatingIfNeeded: h) & mask
        let n = bytes.count
        while true {
            let slot = slots[i]
            if slot.hash == 0 { return nil }
            if slot.hash == h, Int(slot.length) == n,
               n == 0 || memcmp(arena + Int(slot.offset), bytes.baseAddress!, n) == 0 {
                return slot.value
            }
            i = (i + 1) & mask
        }
    }

    /// The value cached for `bytes`, or else `make()`'s, cached for the next time; nil
    /// (and `make` not called) when the key cannot be cached: too long, or the map full.
    @inline(__always)
    package func value(for bytes: UnsafeRawBufferPointer, orMake make: () -> Int32) -> Int32? {
        if let found = find(bytes) { return found }
        guard accepts(length: bytes.count) else { return nil }
        let value = make()
        insert(bytes, value: value)
        return value
    }

    /// Stores `value` for `bytes` (replacing an earlier value). Returns false, storing
    /// nothing, when the key is too long or the map is full.
    @discardableResult
    package func insert(_ bytes: UnsafeRawBufferPointer, value: Int32) -> Bool {
        let h = ByteKeyMap.hash(bytes)
        let n = bytes.count
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot.hash == 0 { break }
            if slot.hash == h, Int(slot.length) == n,
               n == 0 || memcmp(arena + Int(slot.offset), bytes.baseAddress!, n) == 0 {
                slots[i].value = value
                return true
            }
            i = (i + 1) & mask
        }
        guard n <= keyBytesLimit, count < entriesMax else { return false }
        if arenaCount + n > arenaCapacity {
            var capacity = arenaCapacity * 2
            while capacity < arenaCount + n { capacity *= 2 }
            let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
            grown.copyMemory(from: arena, byteCount: arenaCount)
            arena.deallocate()
            arena = grown
            arenaCapacity = capacity
        }
        if n > 0 { (arena + arenaCount).copyMemory(from: bytes.baseAddress!, byteCount: n) }
        slots[i] = Slot(hash: h, offset: Int32(arenaCount), length: Int32(n), value: value)
        arenaCount += n
        count += 1
        if count * 2 > mask + 1 { grow() }
        return true
    }

    /// Forgets every entry (keeping the memory).
    package func removeAll() {
        slots.update(repeating: Slot(hash: 0, offset: 0, length: 0, value: 0), count: mask + 1)
        arenaCount = 0
        count = 0
    }

    private func grow() {
        let oldCapacity = mask + 1
        let old = slots
        let capacity = oldCapacity * 2
        slots = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
        slots.initialize(repeating: Slot(hash: 0, offset: 0, length: 0, value: 0), count: capacity)
        mask = capacity - 1
        for j in 0..<oldCapacity where old[j].hash != 0 {
            var i = Int(truncatingIfNeeded: old[j].hash) & mask
            while slots[i].hash != 0 { i = (i + 1) & mask }
            slots[i] = old[j]
        }
        old.deallocate()
    }
}

/// A hash map from `UInt64` keys (small numbers packed together) to `Int32`, open
/// addressing with a multiplicative hash: cheaper per lookup than `Dictionary`'s SipHash on
/// the per-row paths. Storage is manual, like ``ByteKeyMap``'s.
package final class IntMap {
    private struct Slot {
        var key: UInt64
        var value: Int32
        var used: Bool
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    package private(set) var count = 0

    package init(capacity: Int = 64) {
        var c = 64
        while c < capacity * 2 { c *= 2 }
        slots = UnsafeMutablePointer<Slot>.allocate(capacity: c)
        slots.initialize(repeating: Slot(key: 0, value: 0, used: false), count: c)
        mask = c - 1
    }

    deinit { slots.deallocate() }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return Int(truncatingIfNeeded: h) & mask
    }

    /// The value for `key`, or nil.
    @inline(__always)
    package func find(_ key: UInt64) -> Int32? {
        var i = IntMap.slot(key, mask)
        while slots[i].used {
            if slots[i].key == key { return slots[i].value }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Stores `value` for `key` unless the key is there already; returns the value stored
    /// for the key (the earlier one when there was one) and whether it was inserted.
    @inline(__always)
    package func insert(_ key: UInt64, _ value: Int32) -> (value: Int32, inserted: Bool) {
        var i = IntMap.slot(key, mask)
        while slots[i].used {
            if slots[i].key == key { return (slots[i].value, false) }
            i = (i + 1) & mask
        }
        slots[i] = Slot(key: key, value: value, used: true)
        count += 1
        if count * 2 > mask + 1 { grow() }
        return (value, true)
    }

    /// Makes room for `n` entries without growing.
    package func reserve(_ n: Int) {
        while (mask + 1) < n * 2 { grow() }
    }

    /// Replaces (or adds) the value for `key`.
    package func set(_ key: UInt64, _ value: Int32) {
        var i = IntMap.slot(key, mask)
        while slots[i].used {
            if slots[i].key == key { slots[i].value = value; return }
            i = (i + 1) & mask
        }
        slots[i] = Slot(key: key, value: value, used: true)
        count += 1
        if count * 2 > mask + 1 { grow() }
    }

    private func grow() {
        let oldCapacity = mask + 1
        let old = slots
        let capacity = oldCapacity * 2
        slots = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
        slots.initialize(repeating: Slot(key: 0, value: 0, used: false), count: capacity)
        mask = capacity - 1
        for j in 0..<oldCapacity where old[j].used {
            var i = IntMap.slot(old[j].key, mask)
            while slots[i].used { i = (i + 1) & mask }
            slots[i] = old[j]
        }
        old.deallocate()
    }
}
