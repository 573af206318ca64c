/// A growable run of bytes with cheap appends, used on the log's hot paths (building JSON
/// Lines, compressing, decompressing) where `[UInt8]`'s zero-filling and bounds checks show.
///
/// Reference type with a single owner: not thread-safe and deliberately not `Sendable`.
public final class ByteBuffer {
    public private(set) var base: UnsafeMutableRawPointer
    public private(set) var capacity: Int
    /// Bytes written so far.
    public var count: Int = 0

    public init(capacity: Int = 64 * 1024) {
        self.capacity = Swift.max(capacity, 16)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Makes room for at least `extra` more bytes after `count`.
    @inline(__always)
    public func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    public func append(_ byte: UInt8) {
        reserve(1)
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    @inline(__always)
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        count += bytes.count
    }

    public func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }
    public func append(_ bytes: ArraySlice<UInt8>) { bytes.withUnsafeBytes { append($0) } }

    /// Appends the UTF-8 bytes of `string` as they are (no JSON escaping).
    @inline(__always)
    public func append(_ string: String) {
        var s = string
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends the decimal digits of `value`.
    public func append(decimal value: UInt64) {
        reserve(20)
        if value == 0 { append(UInt8(ascii: "0")); return }
        var v = value
        var digits = 0
        var tmp = v
        while tmp > 0 { digits += 1; tmp /= 10 }
        var i = count + digits - 1
        while v > 0 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: v % 10) &+ 48, toByteOffset: i, as: UInt8.self)
            v /= 10
            i -= 1
        }
        count += digits
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
