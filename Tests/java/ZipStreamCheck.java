import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads a zip front to back with java.util.zip.ZipInputStream, the streaming reader that sees only
 * local headers (it never looks at the central directory), and checks every entry: its size and
 * CRC-32 must be in the local header (no data descriptor) and match the bytes. ZipInputStream also
 * checks the CRC itself at the end of each entry.
 *
 *   java Tests/java/ZipStreamCheck.java FILE [--quiet]
 *
 * Prints "name<TAB>size<TAB>crc32-hex" per entry (unless --quiet), then "entries N bytes B".
 * Exits non-zero, with the reason, on the first problem.
 */
public class ZipStreamCheck {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java ZipStreamCheck.java FILE [--quiet]");
            System.exit(2);
        }
        boolean quiet = args.length > 1 && args[1].equals("--quiet");
        long entries = 0;
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream file = new BufferedInputStream(new FileInputStream(args[0]), 1 << 16);
             ZipInputStream zip = new ZipInputStream(file)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                long declaredSize = entry.getSize();
                long declaredCRC = entry.getCrc();
                if (declaredSize < 0 || declaredCRC < 0) {
                    throw new ZipException(entry.getName() + ": size or CRC-32 not in the local header");
                }
                CRC32 crc = new CRC32();
                long size = 0;
                int count;
                while ((count = zip.read(buffer)) > 0) {
                    crc.update(buffer, 0, count);
                    size += count;
                }
                if (size != declaredSize) {
                    throw new ZipException(entry.getName() + ": " + size + " bytes, header says " + declaredSize);
                }
                if (crc.getValue() != declaredCRC) {
                    throw new ZipException(entry.getName() + ": CRC-32 " + Long.toHexString(crc.getValue())
                            + ", header says " + Long.toHexString(declaredCRC));
                }
                if (!quiet) {
                    System.out.println(entry.getName() + "\t" + size + "\t" + String.format("%08x", crc.getValue()));
                }
                entries++;
                total += size;
            }
        }
        System.out.println("entries " + entries + " bytes " + total);
    }
}
