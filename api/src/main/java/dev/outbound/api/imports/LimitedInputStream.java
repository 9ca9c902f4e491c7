package dev.outbound.api.imports;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read from an upload and fails with {@link UploadTooLargeException} as soon as
 * they exceed the limit, so an oversized body is refused while it streams in, whatever its {@code
 * Content-Length} said (or when it sent none).
 */
final class LimitedInputStream extends FilterInputStream {

  private final long max;
  private long count;

  LimitedInputStream(InputStream in, long max) {
    super(in);
    this.max = max;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      counted(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      counted(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    counted(skipped);
    return skipped;
  }

  private void counted(long n) {
    count += n;
    if (count > max) {
      throw UploadTooLargeException.bytes(max);
    }
  }
}
