/// A growable run of bytes with cheap appends, used on the log's hot paths (building JSON
/// Lines, compressing, decompressing) where `[UInt8]`'s zero-filling and bounds checks show.
///
/// Reference type with a single owner: not thread-safe and deliberately not `Sendable`.
public final class ByteBuffer {
    /// The state lives behind a pointer, not in stored `var`s: class properties pay a
    /// dynamic exclusivity check on every access, which dominated the log's encode path.
    @usableFromInline
    struct State {
        @usableFromInline var base: UnsafeMutableRawPointer
        @usableFromInline var capacity: Int
        @usableFromInline var count: Int
        @usableFromInline init(base: UnsafeMutableRawPointer, capacity: Int, count: Int) {
            self.base = base
            self.capacity = capacity
            self.count = count
        }
    }

    @usableFromInline
    let state: UnsafeMutablePointer<State>

    public var base: UnsafeMutableRawPointer { state.pointee.base }
    public var capacity: Int { state.pointee.capacity }
    /// Bytes written so far.
    public var count: Int {
        get { state.pointee.count }
        set { state.pointee.count = newValue }
    }

    public init(capacity: Int = 64 * 1024) {
        let c = Swift.max(capacity, 16)
        state = UnsafeMutablePointer<State>.allocate(capacity: 1)
        state.initialize(to: State(base: UnsafeMutableRawPointer.allocate(byteCount: c, alignment: 16), capacity: c, count: 0))
    }

    deinit {
        state.pointee.base.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Makes room for at least `extra` more bytes after `count`.
    @inlinable @inline(__always)
    public func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    @usableFromInline
    func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        state.pointee.base = newBase
        state.pointee.capacity = newCapacity
    }

    @inlinable @inline(__always)
    public func append(_ byte: UInt8) {
        reserve(1)
        state.pointee.base.storeBytes(of: byte, toByteOffset: state.pointee.count, as: UInt8.self)
        state.pointee.count += 1
    }

    @inlinable @inline(__always)
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        reserve(bytes.count)
        (state.pointee.base + state.pointee.count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        state.pointee.count += bytes.count
    }

    public func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }
    public func append(_ bytes: ArraySlice<UInt8>) { bytes.withUnsafeBytes { append($0) } }

    /// Appends the UTF-8 bytes of `string` as they are (no JSON escaping).
    @inlinable @inline(__always)
    public func append(_ string: String) {
        var s = string
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends a static string's bytes (no String machinery at all).
    @inlinable @inline(__always)
    public func append(_ string: StaticString) {
        append(UnsafeRawBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount))
    }

    /// Appends the decimal digits of `value`.
    public func append(decimal value: UInt64) {
        reserve(20)
        if value < 10 { append(UInt8(truncatingIfNeeded: value) &+ 48); return }
        // Digits right to left into a small stack buffer, then one copy.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var v = value
        withUnsafeMutableBytes(of: &digits) { raw in
            var i = 24
            while v > 0 {
                i -= 1
                raw[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                v /= 10
            }
            append(UnsafeRawBufferPointer(rebasing: raw[i..<24]))
        }
    }

    public func append(decimal value: Int64) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            append(decimal: UInt64(value.magnitude))
        } else {
            append(decimal: UInt64(value))
        }
    }

    /// Drops everything, keeping the allocation.
    public func removeAll() { count = 0 }

    /// The bytes written so far, valid until the next mutation.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    public var array: [UInt8] { Array(bytes) }

    /// Hands `body` the spare capacity after `count` (at least `minimum` bytes); `body`
    /// returns how many bytes it wrote there.
    public func writeIntoSpare(minimum: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows {
        reserve(minimum)
        let n = try body(UnsafeMutableRawBufferPointer(start: base + count, count: capacity - count))
        precondition(n >= 0 && n <= capacity - count)
        count += n
    }
}
