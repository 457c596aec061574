"""Colour distances for the HTML report's palette, as people see colours.

* sRGB to CIELAB (D65), and CIEDE2000 distances between two colours (about 1
  is a just-noticeable difference; categorical colours want well over 10);
* dichromat vision (protanopia, deuteranopia, tritanopia): each colour seen
  with one kind of cone missing, in the manner of Viénot, Brettel and Mollon
  (1999): in LMS space the missing cone's signal is a mix of the other two
  chosen so that white and one primary look the same (blue for protan and
  deutan, red for tritan). The most severe form: anomalous trichromats see more.

Run as a script, it searches sRGB for a palette (grey for category 0 fixed)
whose smallest distance in every kind of vision is as large as it can make
it, and prints it: that is how ``report_html.PALETTE`` was chosen.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

Matrix = tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]
Vector = tuple[float, float, float]
VISIONS = ("normal", "protan", "deutan", "tritan")

_RGB_TO_XYZ: Matrix = ((0.4124564, 0.3575761, 0.1804375), (0.2126729, 0.7151522, 0.0721750), (0.0193339, 0.1191920, 0.9503041))
_XYZ_TO_LMS: Matrix = ((0.4002, 0.7076, -0.0808), (-0.2263, 1.1653, 0.0457), (0.0, 0.0, 0.9182))  # Hunt-Pointer-Estevez
_WHITE = (0.95047, 1.0, 1.08883)  # D65


def _apply(m: Matrix, v: Vector) -> Vector:
    return (m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
            m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
            m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2])


def _inverse(m: Matrix) -> Matrix:
    (a, b, c), (d, e, f), (g, h, i) = m
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    return ((+(e * i - f * h) / det, -(b * i - c * h) / det, +(b * f - c * e) / det),
            (-(d * i - f * g) / det, +(a * i - c * g) / det, -(a * f - c * d) / det),
            (+(d * h - e * g) / det, -(a * h - b * g) / det, +(a * e - b * d) / det))


_LMS_TO_XYZ = _inverse(_XYZ_TO_LMS)


def linear_rgb(colour: str) -> Vector:
    """``#rrggbb`` as linear-light sRGB in 0..1."""
    def channel(text: str) -> float:
        c = int(text, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    if len(colour) != 7 or colour[0] != "#":
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return channel(colour[1:3]), channel(colour[3:5]), channel(colour[5:7])


def _lms(rgb: Vector) -> Vector:
    return _apply(_XYZ_TO_LMS, _apply(_RGB_TO_XYZ, rgb))


def _missing_cone(lost: int, anchor: Vector) -> Callable[[Vector], Vector]:
    """LMS -> LMS with cone ``lost`` replaced by the mix of the other two that keeps white and ``anchor``."""
    keep = [i for i in range(3) if i != lost]
    white, other = _lms((1.0, 1.0, 1.0)), _lms(anchor)
    # solve p * white[k0] + q * white[k1] = white[lost], the same for the anchor
    det = white[keep[0]] * other[keep[1]] - white[keep[1]] * other[keep[0]]
    p = (white[lost] * other[keep[1]] - white[keep[1]] * other[lost]) / det
    q = (white[keep[0]] * other[lost] - white[lost] * other[keep[0]]) / det

    def seen(lms: Vector) -> Vector:
        out = list(lms)
        out[lost] = p * lms[keep[0]] + q * lms[keep[1]]
        return out[0], out[1], out[2]

    return seen


_SEEN: dict[str, Callable[[Vector], Vector]] = {
    "normal": lambda lms: lms,
    "protan": _missing_cone(0, (0.0, 0.0, 1.0)),
    "deutan": _missing_cone(1, (0.0, 0.0, 1.0)),
    "tritan": _missing_cone(2, (1.0, 0.0, 0.0)),
}


def lab(colour: str, vision: str = "normal") -> Vector:
    """CIELAB (D65) of ``colour`` as seen in ``vision`` (one of ``VISIONS``)."""
    xyz = _apply(_LMS_TO_XYZ, _SEEN[vision](_lms(linear_rgb(colour))))

    def f(t: float) -> float:
        return math.copysign(abs(t) ** (1 / 3), t) if abs(t) > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / w) for v, w in zip(xyz, _WHITE, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(one: Vector, two: Vector) -> float:
    """The CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    (l1, a1, b1), (l2, a2, b2) = one, two
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh_angle = 0.0
    elif abs(h2p - h1p) <= 180:
        dh_angle = h2p - h1p
    else:
        dh_angle = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh_angle / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = (-2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
           * math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2)))))
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (dh / s_h) ** 2 + r_t * (dc / s_c) * (dh / s_h))


def distance(one: str, two: str, vision: str = "normal") -> float:
    return ciede2000(lab(one, vision), lab(two, vision))


def closest_pair(palette: Sequence[str], vision: str) -> tuple[float, str, str]:
    """The smallest distance between two colours of ``palette`` in ``vision``, and the pair."""
    return min((distance(a, b, vision), a, b) for a, b in itertools.combinations(palette, 2))


# ---- the search that chose the palette --------------------------------------------------

# In each vision the smallest distance is divided by what is asked of it
# (normal vision can tell far more colours apart than a dichromat).
_ASKED = {"normal": 2.0, "protan": 1.0, "deutan": 1.0, "tritan": 1.0}
_LIGHTNESS = (30.0, 82.0)  # visible on the chart's near-white ground, none too dark to tell apart


def _search(fixed: str, count: int, levels: int = 12, rounds: int = 6) -> list[str]:
    step = 255 / (levels - 1)
    grid = [f"#{round(r * step):02x}{round(g * step):02x}{round(b * step):02x}"
            for r, g, b in itertools.product(range(levels), repeat=3)]
    grid = [c for c in grid if _LIGHTNESS[0] <= lab(c)[0] <= _LIGHTNESS[1]]
    seen = {c: [lab(c, v) for v in VISIONS] for c in [*grid, fixed]}

    def score(a: str, b: str) -> float:
        return min(ciede2000(x, y) / _ASKED[v] for v, x, y in zip(VISIONS, seen[a], seen[b], strict=True))

    chosen = [fixed]
    nearest = {c: score(c, fixed) for c in grid}
    while len(chosen) < count:
        best = max(grid, key=lambda c: nearest[c])
        chosen.append(best)
        nearest = {c: min(nearest[c], score(c, best)) for c in grid}
    for _ in range(rounds):  # each colour but the fixed one moved to where it is farthest from the rest
        moved = False
        for i in range(1, count):
            others = chosen[:i] + chosen[i + 1:]
            best = max(grid, key=lambda c: min(score(c, o) for o in others))
            if min(score(best, o) for o in others) > min(score(chosen[i], o) for o in others) + 1e-9:
                chosen[i], moved = best, True
        if not moved:
            break
    return chosen


if __name__ == "__main__":
    palette = _search("#bbbbbb", 19)
    print(palette)
    for vision in VISIONS:
        smallest, one, two = closest_pair(palette, vision)
        print(f"{vision}: closest pair {one} {two}, {smallest:.1f}")
