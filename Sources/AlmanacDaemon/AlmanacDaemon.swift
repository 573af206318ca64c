/// The unattended side of Almanac: the ingest daemon that consumes agency files from an
/// inbox (one folder per agency), and the scheduled snapshot exports it runs.
public enum AlmanacDaemonModule {}
