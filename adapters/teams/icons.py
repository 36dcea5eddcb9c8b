"""The Teams app icons, drawn in code: a white heart on the accent colour (192x192) and alone (32x32 outline)."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

ACCENT = "#1f5f8b"  # the app's accent colour, the same blue as the Slack app's background
COLOR_SIZE = 192  # Teams: the colour icon is 192x192, full colour, the symbol on a solid background
OUTLINE_SIZE = 32  # Teams: the outline icon is 32x32, white (#ffffff) on a transparent background
_SAMPLES = 4  # sub-pixel samples per axis: smooth edges without any imaging library

Pixel = tuple[int, int, int, int]


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An 8-bit RGBA PNG, one filter-less scanline at a time (PNG spec, sections 5 and 11)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type 0: the bytes as they are
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, colour type 6 = RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, which the format puts first."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _in_heart(u: float, v: float) -> bool:
    """Inside the heart curve (x² + y² - 1)³ ≤ x²y³, for u, v in -1.5..1.5 with v pointing up."""
    return (u * u + v * v - 1) ** 3 - u * u * v**3 <= 0


def _coverage(x: int, y: int, size: int, scale: float) -> float:
    """How much of pixel (x, y) the heart covers, 0..1; `scale` is the heart's width as a share of the icon."""
    inside = 0
    for sy in range(_SAMPLES):
        for sx in range(_SAMPLES):
            # Centre the heart: the curve spans u in ±1.14, v in -1.0..1.25, so shift it down by 0.125.
            u = ((x + (sx + 0.5) / _SAMPLES) / size - 0.5) * 2.3 / scale
            v = -(((y + (sy + 0.5) / _SAMPLES) / size - 0.5) * 2.3 / scale) + 0.125
            inside += _in_heart(u, v)
    return inside / (_SAMPLES * _SAMPLES)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour.lstrip("#"), 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF


def color_icon() -> bytes:
    """192x192: the white heart inside Teams' safe area on a full-bleed accent background."""
    red, green, blue = _rgb(ACCENT)

    def pixel(x: int, y: int) -> Pixel:
        cover = _coverage(x, y, COLOR_SIZE, 0.55)

        def mix(channel: int) -> int:
            return round(channel + (255 - channel) * cover)

        return mix(red), mix(green), mix(blue), 255

    return png(COLOR_SIZE, COLOR_SIZE, pixel)


def outline_icon() -> bytes:
    """32x32: only white pixels, their transparency drawing the heart, as Teams requires of outline icons."""

    def pixel(x: int, y: int) -> Pixel:
        return (255, 255, 255, round(255 * _coverage(x, y, OUTLINE_SIZE, 0.8)))

    return png(OUTLINE_SIZE, OUTLINE_SIZE, pixel)
