import CZstd

/// A reusable zstd compression context that writes standard frames with the content size
/// and a content checksum, so `zstd -t` and `zstdcat` can check and read every batch.
///
/// Not thread-safe: one owner at a time (the log writer holds one under its lock).
public final class ZstdCompressor {
    private let cctx: OpaquePointer

    /// - Parameters:
    ///   - level: the zstd compression level.
    ///   - workers: threads zstd may use for one frame (0 = compress on the caller's
    ///     thread). The output is one standard frame either way.
    public init(level: Int32 = 3, workers: Int32 = 0) {
        guard let ctx = ZSTD_createCCtx() else { fatalError("ZSTD_createCCtx failed: out of memory") }
        cctx = ctx
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)
        if workers > 0 {
            // Ignored (returns an error) by a libzstd built without threads: then we simply
            // compress on this thread.
            ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, workers)
            ZSTD_CCtx_setParameter(cctx, ZSTD_c_jobSize, 512 * 1024)
        }
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1)
    }

    deinit { ZSTD_freeCCtx(cctx) }

    /// Compresses `input` into one zstd frame appended to `output`; returns its length.
    @discardableResult
    public func compress(_ input: UnsafeRawBufferPointer, appendingTo output: ByteBuffer) throws -> Int {
        let bound = ZSTD_compressBound(input.count)
        var rc = 0
        output.writeIntoSpare(minimum: bound) { spare in
            rc = ZSTD_compress2(cctx, spare.baseAddress, bound, input.baseAddress, input.count)
            return ZSTD_isError(rc) != 0 ? 0 : rc
        }
        if ZSTD_isError(rc) != 0 { throw ZstdError(code: rc) }
        return rc
    }

    /// Compresses `first` followed by `second` into one frame, as if they were one buffer
    /// (without copying them together), appending the frame to `output`; returns its size.
    public func compress(_ first: UnsafeRawBufferPointer, then second: UnsafeRawBufferPointer,
                         appendingTo output: ByteBuffer) throws -> Int {
        let total = first.count + second.count
        let bound = ZSTD_compressBound(total)
        var rc = ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only)
        if ZSTD_isError(rc) == 0 { rc = ZSTD_CCtx_setPledgedSrcSize(cctx, UInt64(total)) }
        if ZSTD_isError(rc) != 0 { throw ZstdError(code: rc) }
        var written = 0
        output.writeIntoSpare(minimum: bound) { spare in
            var out = ZSTD_outBuffer(dst: spare.baseAddress, size: bound, pos: 0)
            for (part, last) in [(first, false), (second, true)] {
                var input = ZSTD_inBuffer(src: part.baseAddress, size: part.count, pos: 0)
                while true {
                    rc = ZSTD_compressStream2(cctx, &out, &input, last ? ZSTD_e_end : ZSTD_e_continue)
                    if ZSTD_isError(rc) != 0 { return 0 }
                    if last ? rc == 0 : input.pos == input.size { break }
                }
            }
            written = out.pos
            return out.pos
        }
        if ZSTD_isError(rc) != 0 { throw ZstdError(code: rc) }
        return written
    }
}

/// A reusable zstd decompression context.
public final class ZstdDecompressor {
    private let dctx: OpaquePointer

    public init() {
        guard let ctx = ZSTD_createDCtx() else { fatalError("ZSTD_createDCtx failed: out of memory") }
        dctx = ctx
    }

    deinit { ZSTD_freeDCtx(dctx) }

    /// Decompresses one frame whose content is exactly `expectedBytes` long, replacing the
    /// contents of `output`. zstd checks the frame's content checksum.
    public func decompress(_ input: UnsafeRawBufferPointer, expectedBytes: Int, into output: ByteBuffer) throws {
        output.removeAll()
        var rc = 0
        output.writeIntoSpare(minimum: expectedBytes) { spare in
            rc = ZSTD_decompressDCtx(dctx, spare.baseAddress, expectedBytes, input.baseAddress, input.count)
            return ZSTD_isError(rc) != 0 ? 0 : rc
        }
        if ZSTD_isError(rc) != 0 { throw ZstdError(code: rc) }
        if rc != expectedBytes {
            throw ZstdError(message: "frame holds \(rc) bytes, the batch header says \(expectedBytes)")
        }
    }
}

/// A zstd library failure, with zstd's own explanation.
public struct ZstdError: Error, CustomStringConvertible, Sendable {
    public let message: String
    init(code: Int) { message = String(cString: ZSTD_getErrorName(code)) }
    init(message: String) { self.message = message }
    public var description: String { "zstd: \(message)" }
}
