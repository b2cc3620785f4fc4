"""Default reconsideration body (行政复议机关) and court (管辖人民法院) of an agency.

Derived from the agency's place in the agency tree and its kind; an agency administrator can
override both per agency (the derived value is only the default). Pure Python, no Django: the
caller passes the chain of :class:`Node` from the agency up to the root of the tree.

Rules (reference ``ogi-rules.md`` §3.1, ARL-2023 Arts. 24, 27; ALL Arts. 14, 15, 18):

- **Reconsideration body**
  - a vertically-led agency (海关、金融、外汇管理、税务、国家安全机关 …, ARL-2023 Art. 27) → the
    next-higher 主管部门: the agency of the same function under the next-higher government, found
    in the tree by name (``临江市江北区税务局`` → ``临江市税务局``); if the tree does not hold it,
    the generic 「上一级主管部门」 (never the local government);
  - a department, street office, township or other agency → the nearest people's government
    above it (ARL-2023 Art. 24 ¶1(1)(3), and (2) for township governments);
  - a people's government → the next-higher people's government (Art. 24 ¶1(2)); a government at
    the root of the tree has its parent outside the platform: the generic 「上一级人民政府」, to be
    entered by the administrator (a province-level government decides on its own acts, Art. 24 ¶2,
    which the tree cannot tell: entered by hand too).
- **Court** (first instance, the court where the agency that made the act sits, ALL Art. 18;
  after reconsideration the original agency still fixes the level, SPC-2018 Art. 134):
  - a county-level-or-above people's government as defendant → the intermediate court (ALL Art.
    15(1)): a district/county government (a government under another government) → the
    intermediate court of the city above it (``临江市江北区人民政府`` → ``临江市中级人民法院``); a
    root government is taken to be a 设区的市 → its own intermediate court;
  - anything else → the basic court (ALL Art. 14) of the district/county where it sits, when the
    nearest government is a district/county (``临江市江北区人民法院``); a city-level department's
    basic court depends on its address (and on centralised jurisdiction), which the tree does not
    tell → the generic 「本机关所在地基层人民法院」.

Choice where the reference is silent: the region name is the government's name without
「人民政府」; the root of the tree is a 设区的市 government. Both are defaults an administrator
overrides on the agency settings page.
"""

from __future__ import annotations

from dataclasses import dataclass

GOVERNMENT = "government"
GENERIC_SUPERIOR_DEPARTMENT = "上一级主管部门"
GENERIC_SUPERIOR_GOVERNMENT = "上一级人民政府"
GENERIC_BASIC_COURT = "本机关所在地基层人民法院"
_GOV_SUFFIX = "人民政府"


@dataclass(frozen=True)
class Node:
    """One agency of the chain: name, kind (``agencies.AgencyKind`` value), vertical leadership."""

    name: str
    kind: str
    vertically_led: bool = False


def region_of(government_name: str) -> str:
    """``临江市江北区人民政府`` → ``临江市江北区`` (empty if the name is not a government's)."""
    if government_name.endswith(_GOV_SUFFIX):
        return government_name[: -len(_GOV_SUFFIX)]
    return ""


def _governments(chain: list[Node]) -> list[Node]:
    """The people's governments above ``chain[0]`` (nearest first)."""
    return [n for n in chain[1:] if n.kind == GOVERNMENT]


def reconsideration_body(chain: list[Node], names_in_tree: set[str] | frozenset[str] = frozenset()) -> str:
    """Default 行政复议机关 of ``chain[0]`` (``chain`` = the agency, its parent, … the root).

    ``names_in_tree``: names of all agencies on the platform (to find the next-higher 主管部门 of a
    vertically-led agency).
    """
    if not chain:
        return ""
    me = chain[0]
    govs = _governments(chain)
    if me.vertically_led:
        own_region = region_of(govs[0].name) if govs else ""
        upper_region = region_of(govs[1].name) if len(govs) > 1 else ""
        if own_region and upper_region and me.name.startswith(own_region):
            candidate = upper_region + me.name[len(own_region) :]
            if candidate in names_in_tree:
                return candidate
        return GENERIC_SUPERIOR_DEPARTMENT
    if govs:
        return govs[0].name
    return GENERIC_SUPERIOR_GOVERNMENT if me.kind == GOVERNMENT else ""


def court(chain: list[Node]) -> str:
    """Default first-instance court for a lawsuit against ``chain[0]``."""
    if not chain:
        return ""
    me = chain[0]
    govs = _governments(chain)
    if me.kind == GOVERNMENT:
        city = govs[0] if govs else me
        region = region_of(city.name)
        return f"{region}中级人民法院" if region else ""
    if govs and len(govs) > 1:  # the nearest government is a district/county (it has a parent)
        region = region_of(govs[0].name)
        if region:
            return f"{region}人民法院"
    return GENERIC_BASIC_COURT
