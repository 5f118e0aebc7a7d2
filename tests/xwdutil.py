"""Read an XWD file (Xvfb -fbdir writes its screen as one) into 0/1 pixels."""

import struct


def read_xwd(path):
    """(width, height, rows): rows[y][x] is 1 for dark, 0 for light pixels."""
    data = open(path, 'rb').read()
    fields = struct.unpack('>25I', data[:100])
    header_size, version, fmt, depth, width, height = fields[:6]
    bits_per_pixel, bytes_per_line = fields[11], fields[12]
    ncolors = fields[19]
    offset = header_size + ncolors * 12
    byte_order = fields[7]            # 0 LSBFirst, 1 MSBFirst
    rows = []
    step = bits_per_pixel // 8
    for y in range(height):
        line = data[offset + y * bytes_per_line: offset + (y + 1) * bytes_per_line]
        row = []
        for x in range(width):
            px = line[x * step:(x + 1) * step]
            if byte_order == 0:
                value = struct.unpack('<I', px)[0] if step == 4 else ord(px[0])
            else:
                value = struct.unpack('>I', px)[0] if step == 4 else ord(px[0])
            green = (value >> 8) & 0xFF
            row.append(1 if green < 128 else 0)
        rows.append(row)
    return width, height, rows
