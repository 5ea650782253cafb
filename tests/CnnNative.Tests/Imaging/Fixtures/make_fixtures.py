#!/usr/bin/env python3
"""Writes the image fixtures that ImageFixtureTests decode.

Two independent encoders, neither of them ours:
  py_*.png  written here with Python's zlib and struct straight from the PNG spec; row y uses
            filter y % 5, so every file exercises None, Sub, Up, Average and Paeth.
  im_*      written by ImageMagick (libpng, libjpeg, libwebp, its BMP and GIF coders) from
            Netpbm files made here;
            only when /usr/bin/convert exists.
The pixel formulas are repeated in ForeignPngFixtures.cs; change both together.
Run from this folder: python3 make_fixtures.py
"""
import os
import shutil
import struct
import subprocess
import tempfile
import zlib


def sample(x, y, c):
    return (x * 37 + y * 91 + c * 53 + x * y * 7 + 11) & 255


def low_bit_sample(x, y, depth):
    return (x * 3 + y * 5 + x * y) % (1 << depth)


PALETTE = [((i * 23) & 255, (i * 71) & 255, (i * 113) & 255) for i in range(11)]
PALETTE_ALPHA = [i * 50 for i in range(5)]  # tRNS covers only the first five entries


def palette_index(x, y):
    return (x + 2 * y) % len(PALETTE)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_row(kind, row, prior, bpp):
    out = bytearray(len(row))
    for i in range(len(row)):
        a = row[i - bpp] if i >= bpp else 0
        b = prior[i]
        c = prior[i - bpp] if i >= bpp else 0
        predictor = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out[i] = (row[i] - predictor) & 255
    return bytes([kind]) + bytes(out)


def pack_bits(samples, depth):
    out, acc, used = bytearray(), 0, 0
    for s in samples:
        acc = (acc << depth) | s
        used += depth
        if used == 8:
            out.append(acc)
            acc, used = 0, 0
    if used:
        out.append(acc << (8 - used))
    return bytes(out)


def write_png(name, width, height, color_type, depth, rows, extra_chunks=(), idat_pieces=1):
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    bpp = max(1, channels * depth // 8)
    raw, prior = bytearray(), bytes(len(rows[0]))
    for y, row in enumerate(rows):
        raw += filter_row(y % 5, row, prior, bpp)
        prior = row
    compressed = zlib.compress(bytes(raw), 9)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 0))
    for kind, data in extra_chunks:
        out += chunk(kind, data)
    step = -(-len(compressed) // idat_pieces)
    for start in range(0, len(compressed), step):
        out += chunk(b"IDAT", compressed[start:start + step])
    out += chunk(b"IEND", b"")
    with open(name, "wb") as f:
        f.write(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def write_interlaced_png(name, width, height, color_type, channels, pixel):
    """Adam7: seven reduced images, each filtered on its own (filter row % 5)."""
    raw = bytearray()
    for x0, y0, dx, dy in ADAM7:
        xs, ys = range(x0, width, dx), range(y0, height, dy)
        if not xs or not ys:
            continue
        prior = bytes(len(xs) * channels)
        for i, y in enumerate(ys):
            row = bytes(v for x in xs for v in pixel(x, y))
            raw += filter_row(i % 5, row, prior, channels)
            prior = row
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 1))
    out += chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    with open(name, "wb") as f:
        f.write(out)


def sixteen_bit_rows(width, height, channels):
    """Each 8-bit formula sample s stored as s * 257, so any correct 16 → 8 reduction gives s back."""
    return [b"".join(struct.pack(">H", sample(x, y, c) * 257) for x in range(width) for c in range(channels))
            for y in range(height)]


def interleaved_rows(width, height, channels):
    return [bytes(sample(x, y, c) for x in range(width) for c in range(channels)) for y in range(height)]


def python_fixtures():
    w, h = 7, 6
    write_png("py_gray8.png", w, h, 0, 8, interleaved_rows(w, h, 1))
    write_png("py_gray_alpha8.png", w, h, 4, 8, interleaved_rows(w, h, 2))
    write_png("py_rgb8.png", w, h, 2, 8, interleaved_rows(w, h, 3),
              extra_chunks=[(b"tEXt", b"Comment\x00ancillary chunk the decoder must skip")], idat_pieces=3)
    write_png("py_rgba8.png", w, h, 6, 8, interleaved_rows(w, h, 4))
    for depth in (1, 2, 4):
        rows = [pack_bits([low_bit_sample(x, y, depth) for x in range(13)], depth) for y in range(h)]
        write_png(f"py_gray{depth}.png", 13, h, 0, depth, rows)
    rows = [pack_bits([palette_index(x, y) for x in range(13)], 4) for y in range(h)]
    plte = b"".join(bytes(rgb) for rgb in PALETTE)
    write_png("py_palette4_trns.png", 13, h, 3, 4, rows,
              extra_chunks=[(b"PLTE", plte), (b"tRNS", bytes(PALETTE_ALPHA))])
    write_png("py_gray16.png", w, h, 0, 16, sixteen_bit_rows(w, h, 1))
    write_png("py_rgba16.png", w, h, 6, 16, sixteen_bit_rows(w, h, 4))
    write_interlaced_png("py_rgb8_interlaced.png", 13, 11, 2, 3, lambda x, y: [sample(x, y, c) for c in range(3)])
    write_interlaced_png("py_gray_alpha8_interlaced.png", 13, 11, 4, 2, lambda x, y: [sample(x, y, c) for c in range(2)])
    # Gray with a transparent colour key: the value of pixel (0, 0).
    write_png("py_gray8_trns.png", w, h, 0, 8, interleaved_rows(w, h, 1),
              extra_chunks=[(b"tRNS", struct.pack(">H", sample(0, 0, 0)))])


def imagemagick_fixtures():
    convert = "/usr/bin/convert"
    if not os.path.exists(convert):
        print("ImageMagick not installed; im_*.png left as they are")
        return
    w, h = 23, 17
    with tempfile.TemporaryDirectory() as tmp:
        pgm = os.path.join(tmp, "in.pgm")
        with open(pgm, "wb") as f:
            f.write(b"P5\n%d %d\n255\n" % (w, h) + b"".join(interleaved_rows(w, h, 1)))
        ppm = os.path.join(tmp, "in.ppm")
        with open(ppm, "wb") as f:
            f.write(b"P6\n%d %d\n255\n" % (w, h) + b"".join(interleaved_rows(w, h, 3)))
        pam = os.path.join(tmp, "in.pam")
        with open(pam, "wb") as f:
            f.write(b"P7\nWIDTH %d\nHEIGHT %d\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n" % (w, h)
                    + b"".join(interleaved_rows(w, h, 4)))
        pal = os.path.join(tmp, "pal.ppm")
        with open(pal, "wb") as f:
            f.write(b"P6\n%d %d\n255\n" % (w, h)
                    + bytes(v for y in range(h) for x in range(w) for v in PALETTE[palette_index(x, y)]))
        common = ["-strip", "-depth", "8", "-define", "png:compression-level=9"]
        subprocess.run([convert, pgm, *common, "-define", "png:color-type=0", "im_gray8.png"], check=True)
        subprocess.run([convert, ppm, *common, "PNG24:im_rgb8.png"], check=True)
        subprocess.run([convert, pam, *common, "PNG32:im_rgba8.png"], check=True)
        subprocess.run([convert, pal, *common, "PNG8:im_palette8.png"], check=True)
        # Other formats Skia reads: lossless ones must give the formula back exactly; JPEG and
        # lossy WebP within a tolerance. The GIF is made from the 11-colour palette image, so it
        # is exact too.
        subprocess.run([convert, ppm, "-strip", "BMP3:im_rgb8.bmp"], check=True)
        subprocess.run([convert, pal, "-strip", "im_palette8.gif"], check=True)
        subprocess.run([convert, ppm, "-strip", "-define", "webp:lossless=true", "im_rgb8_lossless.webp"], check=True)
        subprocess.run([convert, ppm, "-strip", "-quality", "95", "-sampling-factor", "1x1", "im_rgb8.jpg"], check=True)
        subprocess.run([convert, pgm, "-strip", "-quality", "95", "im_gray8.jpg"], check=True)
        subprocess.run([convert, ppm, "-strip", "-interlace", "PNG", "-depth", "16", "PNG48:im_rgb16_interlaced.png"], check=True)


if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    python_fixtures()
    imagemagick_fixtures()
