"""Synthetic opendata projects of any size, with this project's schema, from a seed.

``generate(root, rows)`` writes a complete project: the curation (``curation/*.yaml``), the
English catalog, a Chinese source text and the package an ``opendata build`` makes of them
(``data/*.csv`` and ``datapackage.json``), so that ``opendata validate``, ``opendata build``
and ``frictionless validate`` can all run on it.

The data is like a real report's, only more of it: the source is a newspaper column of
Chinese text (short lines, stray spaces, quotes running across lines); every row quotes the
source verbatim at the line where its quote starts, and every value is the one the project's
own figure parser reads from that quote. Each quote holds one to four figures, with units,
qualifiers (约, 近, 不低于, 余, 以上, 左右) and modality (预计, 力争); honours quote Chinese
numerals; filler sentences hold numbers that the exclusions account for. Every Chinese label
has its English in the catalog. Identical seeds give identical bytes.

The tables are published in the order and format of the build (``opendata.csvfile``,
``opendata.build.descriptor``); the smoke test checks that ``opendata build --check`` agrees.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opendata import csvfile
from opendata.build.descriptor import describe, dumps
from opendata.build.english import schema_terms
from opendata.config import read_config
from opendata.curate.catalog import Translations
from opendata.curate.figures import FigureSyntax, format_decimal
from opendata.curate.units import Unit, parse_multiplier
from opendata.inputs import read_yaml
from opendata.paths import Project
from opendata.shape import TEMPLATE as TABLES
from opendata.shape import Shape, template_schemas

REPO = Path(__file__).resolve().parents[1]
SOURCE_PATH = "data/source/synthetic-report.zh.txt"
WIDTH = 14  # characters per source line: a newspaper column, like the real report

# Shares of the total row count. Units are the project's own 28; the rest scale.
SHARES = {"results": 0.40, "targets": 0.30, "projects": 0.15, "honors": 0.13,
          "indicators": 0.02}

# Words without any numeral (〇零一二两三四五六七八九十百千万亿), qualifier or modality
# character, so that the only numbers and figures in a quote are the ones put there.
AREAS = [("科技", "science and technology"), ("产业", "industry"), ("城市", "urban"),
         ("民生", "public welfare"), ("生态", "ecology"), ("文化", "culture"),
         ("教育", "education"), ("医疗", "health care"), ("交通", "transport"),
         ("商贸", "commerce"), ("农业", "agriculture"), ("金融", "finance"),
         ("物流", "logistics"), ("旅游", "tourism"), ("体育", "sports"), ("社区", "community"),
         ("养老", "elderly care"), ("就业", "employment"), ("住房", "housing"),
         ("水利", "water conservancy"), ("能源", "energy"), ("环境", "environment"),
         ("安全", "safety"), ("数字", "digital"), ("消费", "consumption"),
         ("开放", "opening-up"), ("改革", "reform"), ("人才", "talent"), ("法治", "rule of law"),
         ("应急", "emergency management")]
OBJECTS = [("企业", "enterprises"), ("平台", "platforms"), ("园区", "parks"),
           ("设施", "facilities"), ("服务", "services"), ("载体", "hubs"),
           ("项目", "projects"), ("示范点", "pilot sites"), ("中心", "centres"),
           ("站点", "stations"), ("机构", "institutions"), ("街区", "blocks"),
           ("市场主体", "market entities"), ("队伍", "teams"), ("网络", "networks"),
           ("基地", "bases"), ("工程", "works"), ("场馆", "venues"), ("社团", "associations"),
           ("窗口", "service windows")]
PLACES = [("南部", "southern"), ("北部", "northern"), ("东部", "eastern"), ("西部", "western"),
          ("中部", "central"), ("城区", "inner-city"), ("新区", "new-area"), ("老城", "old-town"),
          ("滨河", "riverside"), ("高新", "high-tech zone"), ("经开", "development zone"),
          ("沿线", "corridor"), ("核心", "core"), ("外围", "outer"), ("临空", "airport-area")]
VERBS = ["新增", "建成", "完成", "培育", "实现", "累计", "引进", "打造"]
FILLER = [
    "坚持稳中求进工作总基调，进一步优化营商环境",
    "持续扩大有效投资，推动“三大动能”协同发力",
    "落实“十大战略”，统筹发展和安全",
    "严格执行一般公共预算，提升财政资金绩效",
    "促进零售消费回暖，激发市场活力",
    "坚持以人民为中心的发展思想，办好民生实事",
]
EXCLUSIONS = [("进一步", "word (\"further\"), not a number"),
              ("三大动能", "slogan (\"three driving forces\")"),
              ("十大战略", "name of a provincial strategy (\"ten major strategies\")"),
              ("一般公共预算", "term (general public budget), not a number"),
              ("零售", "word (\"retail\"), not a number")]
RESULT_SECTIONS = [("创新动能激活力", "Innovation injects new vitality"),
                   ("改革动能提效力", "Reform raises efficiency"),
                   ("城市品质全面提升", "Urban quality improves across the board"),
                   ("生态环境精准治理", "Targeted environmental governance"),
                   ("民生保障有力有效", "Effective guarantees of people's livelihood"),
                   ("营商环境持续优化", "The business environment keeps improving"),
                   ("社会治理更加精细", "Social governance becomes more refined"),
                   ("开放合作走深走实", "Opening-up and cooperation deepen")]
TARGET_SECTIONS = [("主要预期目标", "Main projected targets"),
                   ("产业发展目标", "Industrial development targets"),
                   ("城市建设目标", "Urban development targets"),
                   ("民生保障目标", "Targets for people's livelihood")]
HONORS = [("全国科技创新示范单位", "National Model Unit for Science and Technology Innovation"),
          ("省级文明单位", "Provincial Civilized Unit"), ("国家级孵化器", "National Incubator"),
          ("全省营商环境评价第一", "First in the provincial business environment assessment"),
          ("全国百强区", "Top 100 District of China"),
          ("五星级服务窗口", "Five-Star Service Window"),
          ("市级平安建设先进集体", "Municipal Advanced Collective for Public Safety"),
          ("全国综合实力百强区", "Top 100 District of China for Overall Strength")]
HONOR_LEVELS = {"全国": "national", "国家": "national", "省": "provincial", "市": "municipal",
                "五星": "other"}
QUALIFIERS = [("", "", "")] * 17 + [("约", "", ""), ("近", "", ""), ("不低于", "", ""),
                                    ("", "余", ""), ("", "", "以上"), ("", "", "左右")]
KINDS = {"percent": "growth_rate", "yuan": "amount", "metre": "length", "m2": "area",
         "day": "duration", "unit-per-person": "rate"}


@dataclass
class Paragraph:
    """Source text being laid out: squashed text and where each quote starts in it."""

    flat: list[str] = field(default_factory=list)
    size: int = 0

    def add(self, text: str) -> int:
        """Append ``text``; returns its offset in the squashed paragraph."""
        start = self.size
        self.flat.append(text)
        self.size += len(text)
        return start


class SourceWriter:
    """Lays paragraphs out in lines of ``WIDTH`` characters, as a newspaper column does."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.lines: list[str] = []

    @property
    def next_line(self) -> int:
        return len(self.lines) + 1

    def write(self, paragraph: Paragraph) -> int:
        """Lay out ``paragraph``; returns the number of its first line."""
        first = self.next_line
        text = "".join(paragraph.flat)
        for start in range(0, len(text), WIDTH):
            line = text[start:start + WIDTH]
            if self.rng.random() < 0.25:  # OCR leaves stray spaces inside lines
                cut = self.rng.randrange(len(line) + 1)
                line = f"{line[:cut]} {line[cut:]}"
            self.lines.append(line)
        self.lines.append("")
        return first

    @staticmethod
    def line_of(first: int, offset: int) -> int:
        return first + offset // WIDTH

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class Catalog:
    """English for every Chinese label, by (msgctxt, msgid), in first-use order."""

    entries: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, context: str, zh: str, en: str) -> str:
        return self.entries.setdefault((context, zh), en)

    def po(self) -> str:
        def quoted(text: str) -> str:
            return json.dumps(text, ensure_ascii=False)  # a valid PO string: \" \\ \n
        out = ['msgid ""', 'msgstr ""', '"Language: en\\n"',
               '"Content-Type: text/plain; charset=utf-8\\n"', ""]
        for (context, zh), en in self.entries.items():
            out += [f"msgctxt {quoted(context)}", f"msgid {quoted(zh)}", f"msgstr {quoted(en)}",
                    ""]
        return "\n".join(out)


def yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML scalars


class Generator:
    """One synthetic project of ``total`` rows."""

    def __init__(self, root: Path, total: int, seed: int):
        self.root = root
        self.rng = random.Random(seed)
        self.total = total
        self.counts = {name: max(4, round(total * share)) for name, share in SHARES.items()}
        self.source = SourceWriter(self.rng)
        self.catalog = Catalog()
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self.units = self._units()
        self.syntax = FigureSyntax(unit.label for unit in self.units.values())
        self.by_base: dict[str, list[Unit]] = {}
        for unit in self.units.values():
            if "/" not in unit.label:
                self.by_base.setdefault(unit.base, []).append(unit)
        self.indicators: list[dict[str, Any]] = []
        self.qualitative: list[dict[str, Any]] = []
        self.yaml: dict[str, list[str]] = {}

    # -- units and indicators ------------------------------------------------------------

    def _units(self) -> dict[str, Unit]:
        entries = read_yaml(REPO / "curation/units.yaml", "curation/units.yaml")
        self.unit_entries = [{k: v for k, v in e.items() if not k.startswith("__")}
                             for e in entries]
        english = Translations.read(REPO / "locales/en/LC_MESSAGES/messages.po", "catalog")
        units = {}
        for e in self.unit_entries:
            unit = Unit(e["id"], e["label"], e["base"], parse_multiplier(e["multiplier"]),
                        e["kind"], e.get("code"), e.get("code_system"))
            units[unit.id] = unit
            label_en = self.catalog.add("units.label", unit.label,
                                        english.english("units.label", unit.label) or unit.id)
            self.rows["units"].append({
                "id": unit.id, "label_zh": unit.label, "label_en": label_en,
                "base_unit": unit.base, "multiplier": format_decimal(unit.multiplier),
                "quantity_kind": unit.kind, "code": unit.code, "code_system": unit.code_system})
        return units

    def make_indicators(self) -> None:
        bases = sorted(self.by_base)
        seen = set()
        lines = []
        count = self.counts["indicators"]
        while len(self.indicators) + len(self.qualitative) < count:
            (a, a_en), (o, o_en), (p, p_en) = (self.rng.choice(AREAS), self.rng.choice(OBJECTS),
                                               self.rng.choice(PLACES))
            qualitative = self.rng.random() < 0.05
            base = None if qualitative else self.rng.choice(bases)
            if qualitative:
                zh, en, kind = f"{p}{a}{o}质量", f"Quality of {p_en} {a_en} {o_en}", "qualitative"
            elif base == "percent":
                zh, en, kind = f"{p}{a}{o}增长", f"Growth of {p_en} {a_en} {o_en}", "growth_rate"
            else:
                zh, en = f"{p}{a}{o}规模", f"Scale of {p_en} {a_en} {o_en}"
                kind = KINDS.get(base, "count")
            if zh in seen:  # the vocabulary gives 9,000 names; later ones take a district
                d, d_en = self.rng.choice(PLACES)
                zh, en = f"{d}片区{zh}", f"{en} in the {d_en} district"
                if zh in seen:
                    continue
            seen.add(zh)
            number = len(self.indicators) + len(self.qualitative) + 1
            row = {"id": f"indicator-{number}", "name_zh": zh,
                   "name_en": self.catalog.add("indicators.name", zh, en), "kind": kind,
                   "unit": base}
            (self.qualitative if qualitative else self.indicators).append(row)
            self.rows["indicators"].append(row)
            unit = f", unit: {base}" if base else ""
            lines.append(f"- {{id: {row['id']}, name: {yaml_string(zh)}, kind: {kind}{unit}}}")
        self.yaml["indicators"] = lines

    # -- figures -------------------------------------------------------------------------

    def number(self, unit: Unit) -> str:
        if unit.base == "percent":
            return self.rng.choice([str(self.rng.randint(1, 30)),
                                    f"{self.rng.randint(1, 30)}.{self.rng.randint(1, 9)}"])
        whole = unit.kind == "count" and unit.multiplier == 1
        if not whole and self.rng.random() < 0.3:
            return f"{self.rng.randint(1, 9999)}.{self.rng.randint(1, 99):02d}".rstrip("0")
        return str(self.rng.randint(1, 99999))

    def figure_text(self, unit: Unit) -> str:
        pre, infix, post = self.rng.choice(QUALIFIERS)
        if infix and unit.kind != "count":
            infix = ""
        return f"{pre}{self.number(unit)}{infix}{unit.label}{post}"

    # -- statements ----------------------------------------------------------------------

    def paragraph_of(self, statements: list[str]) -> tuple[int, list[int]]:
        """Write a paragraph holding ``statements`` (and maybe filler); their lines."""
        paragraph = Paragraph()
        if self.rng.random() < 0.3:
            paragraph.add(self.rng.choice(FILLER) + "，")
        starts = []
        for i, statement in enumerate(statements):
            starts.append(paragraph.add(statement))
            paragraph.add("。" if i == len(statements) - 1 else "，")
        first = self.source.write(paragraph)
        return first, [self.source.line_of(first, start) for start in starts]

    def observations(self, table: str) -> None:
        sections = RESULT_SECTIONS if table == "results" else TARGET_SECTIONS
        year, mark, flag = (2023, "预计", "estimate") if table == "results" else (
            2024, "力争", "aspirational")
        target = self.counts[table]
        per_section = max(1, target // len(sections))
        lines = [f"year: {year}", "sections:"]
        made = 0
        for s, (section, given_en) in enumerate(sections):
            section_en = self.catalog.add(f"{table}.section", section, given_en)
            lines += [f"- section: {section}", "  statements:"]
            goal = target if s == len(sections) - 1 else min(target, made + per_section)
            while made < goal:
                made += self.observation_paragraph(table, year, mark, flag, section,
                                                   section_en, goal - made, lines)
        self.yaml[table] = lines

    def observation_paragraph(self, table: str, year: int, mark: str, flag: str,
                              section: str, section_en: str, room: int,
                              lines: list[str]) -> int:
        planned = []
        for _ in range(self.rng.randint(1, 2)):
            if table == "targets" and self.rng.random() < 0.05:
                indicator = self.rng.choice(self.qualitative)
                planned.append((f"{indicator['name_zh']}稳步提升", [indicator]))
                continue
            count = min(room - sum(len(p[1]) for p in planned), self.rng.randint(1, 4))
            if count <= 0:
                break
            picks = [self.rng.choice(self.indicators) for _ in range(count)]
            parts = [f"{i['name_zh']}{self.figure_text(self.rng.choice(self.by_base[i['unit']]))}"
                     for i in picks]
            lead = mark if self.rng.random() < 0.15 else ""
            planned.append((f"{lead}{self.rng.choice(VERBS)}{'、'.join(parts)}", picks))
        if not planned:
            return 0
        _, starts = self.paragraph_of([quote for quote, _ in planned])
        used = 0
        for (quote, picks), line in zip(planned, starts, strict=True):
            figures = self.syntax.figures(quote)
            lines += [f"  - line: {line}", f"    quote: {yaml_string(quote)}", "    rows:"]
            for n, indicator in enumerate(picks, start=1):
                used += 1
                row_id = f"{table[:-1]}-{len(self.rows[table]) + 1}-{year}"
                row = {"id": row_id, "year": year, "indicator": indicator["id"],
                       "section_zh": section, "section_en": section_en,
                       "source_quote": quote, "source_line": line, flag: mark in quote}
                if indicator["unit"] is None:
                    row.update(value=None, unit=None, value_base=None, qualifier=None,
                               unit_inferred=None)
                    lines.append(f"    - {{id: {row_id}, indicator: {indicator['id']}}}")
                else:
                    figure = figures[n - 1]
                    unit = next(u for u in self.by_base[indicator["unit"]]
                                if u.label == figure.unit)
                    row.update(value=str(figure.value), unit=unit.id,
                               value_base=format_decimal(unit.to_base(figure.value)),
                               qualifier=figure.qualifier.value, unit_inferred=False)
                    pick = f", figure: {n}" if len(picks) > 1 else ""
                    lines.append(f"    - {{id: {row_id}, indicator: {indicator['id']}{pick}}}")
                self.rows[table].append(row)
        return used

    def projects(self) -> None:
        lines = ["statements:"]
        hundred_million = self.units["100m-yuan"]
        ten_thousand = self.units["10k-yuan"]
        count_unit = self.units["unit"]
        while len(self.rows["projects"]) < self.counts["projects"]:
            (a, a_en), (o, o_en) = self.rng.choice(AREAS), self.rng.choice(OBJECTS)
            name, name_en = f"{a}{o}项目", f"{a_en.capitalize()} {o_en} projects"
            name_en = self.catalog.add("projects.name", name, name_en)
            places = self.rng.sample(PLACES, self.rng.randint(0, 2))
            places_zh = [f"{p}{a}园" for p, _ in places]
            places_en = [self.catalog.add("projects.places", z, f"{a_en.capitalize()} Park "
                                          f"({p_en})")
                         for z, (_, p_en) in zip(places_zh, places, strict=True)]
            status = self.rng.choice(["completed", "in_progress", "planned"])
            year = 2024 if status == "planned" else 2023
            lead = "力争" if status == "planned" and self.rng.random() < 0.3 else ""
            parts = {"project_count": f"{name}{self.figure_text(count_unit)}"}
            if self.rng.random() < 0.5:
                parts["total_investment"] = f"总投资{self.figure_text(hundred_million)}"
            if self.rng.random() < 0.2:
                parts["threshold_investment"] = "单体投资千万元以上"
            if self.rng.random() < 0.7:
                unit = self.rng.choice([hundred_million, ten_thousand])
                parts["annual_investment"] = f"年度投资{self.figure_text(unit)}"
            quote = lead + "，".join(parts.values())
            _, [line] = self.paragraph_of([quote])
            figures = self.syntax.figures(quote)
            row_id = f"project-{len(self.rows['projects']) + 1}-{year}"
            row = {"id": row_id, "year": year, "status": status, "name_zh": name,
                   "name_en": name_en, "places_zh": places_zh, "places_en": places_en,
                   "aspirational": bool(lead), "source_quote": quote, "source_line": line}
            numbers = {}
            # each part prints exactly one figure
            for n, (column, figure) in enumerate(zip(parts, figures, strict=True), start=1):
                numbers[column] = n
                unit = next(u for u in self.units.values() if u.label == figure.unit)
                # 力争 leads the quote, so it governs every figure of the row
                if column == "project_count":
                    row.update(project_count=int(unit.to_base(figure.value)),
                               project_count_qualifier=figure.qualifier.value,
                               project_count_aspirational=bool(lead))
                else:
                    row.update({column: str(figure.value), f"{column}_unit": unit.id,
                                f"{column}_base": format_decimal(unit.to_base(figure.value)),
                                f"{column}_qualifier": figure.qualifier.value,
                                f"{column}_aspirational": bool(lead)})
            self.rows["projects"].append(row)
            figures_yaml = ", ".join(f"{k}: {v}" for k, v in numbers.items())
            places_yaml = ", ".join(places_zh)
            lines += [f"- line: {line}", f"  quote: {yaml_string(quote)}", "  rows:",
                      f"  - {{id: {row_id}, year: {year}, status: {status}, name: {name}, "
                      f"places: [{places_yaml}], figures: {{{figures_yaml}}}}}"]
        self.yaml["projects"] = lines

    def honors(self) -> None:
        lines = ["statements:"]
        while len(self.rows["honors"]) < self.counts["honors"]:
            recipients = []
            for _ in range(self.rng.randint(1, 2)):
                (a, a_en), (o, o_en), (p, p_en) = (self.rng.choice(AREAS),
                                                   self.rng.choice(OBJECTS),
                                                   self.rng.choice(PLACES))
                zh = f"{p}{a}{o}"
                recipients.append((zh, self.catalog.add("honors.recipient", zh,
                                                        f"{p_en.capitalize()} {a_en} {o_en}")))
            honor, honor_en = self.rng.choice(HONORS)
            honor_en = self.catalog.add("honors.honor", honor, honor_en)
            again = "再次" if self.rng.random() < 0.2 else ""
            quote = f"{'、'.join(r for r, _ in recipients)}{again}获评{honor}"
            _, [line] = self.paragraph_of([quote])
            level = next((v for k, v in HONOR_LEVELS.items() if honor.startswith(k)), "other")
            lines += [f"- line: {line}", f"  quote: {yaml_string(quote)}", "  rows:"]
            for zh, en in recipients:
                row_id = f"honor-{len(self.rows['honors']) + 1}-2023"
                self.rows["honors"].append({
                    "id": row_id, "year": 2023, "recipient_zh": zh, "recipient_en": en,
                    "honor_zh": honor, "honor_en": honor_en, "level": level,
                    "repeat": bool(again), "source_quote": quote, "source_line": line})
                lines.append(f"  - {{id: {row_id}, year: 2023, recipient: {zh}, "
                             f"honor: {honor}, level: {level}}}")
        self.yaml["honors"] = lines

    # -- writing -------------------------------------------------------------------------

    def run(self) -> Project:
        self.make_indicators()
        self.observations("results")
        self.observations("targets")
        self.projects()
        self.honors()
        return self.write()

    def write(self) -> Project:
        if self.root.exists():
            shutil.rmtree(self.root)
        (self.root / "curation").mkdir(parents=True)
        source = self.source.text().encode("utf-8")
        self._package_yaml(hashlib.sha256(source).hexdigest())
        curation = self.root / "curation"
        units = [f"- {json.dumps(e, ensure_ascii=False)}" for e in self.unit_entries]
        for name, lines in {"units": units, **self.yaml}.items():
            (curation / f"{name}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (curation / "exclusions.yaml").write_text(
            "".join(f"- {{context: {c}, reason: {yaml_string(r)}}}\n" for c, r in EXCLUSIONS),
            encoding="utf-8")
        project = Project.at(self.root)
        shape = Shape.from_resources(list(template_schemas().values()))
        english = Translations.read(REPO / "locales/en/LC_MESSAGES/messages.po", "catalog")
        for name in TABLES:  # the schema texts' English, as this repository's catalog has it
            for term in schema_terms(shape[name]):
                self.catalog.add(term.context, term.zh, english.english(term.context, term.zh))
        project.catalog.parent.mkdir(parents=True)
        project.catalog.write_text(self.catalog.po(), encoding="utf-8")
        project.schemas.mkdir()
        for name, template in template_schemas().items():
            project.schema(name).write_text(json.dumps(template, ensure_ascii=False, indent=2),
                                            encoding="utf-8")
        files = {SOURCE_PATH: source}
        for name in TABLES:
            files[f"data/{name}.csv"] = csvfile.render(shape[name], self.rows[name])
        for path, content in files.items():
            (self.root / path).parent.mkdir(parents=True, exist_ok=True)
            (self.root / path).write_bytes(content)
        config = read_config(project)
        english = Translations.read(project.catalog, "catalog")
        project.descriptor.write_bytes(dumps(describe(config, english, files, shape)))
        return project

    def _package_yaml(self, sha256: str) -> None:
        en = self.catalog.add
        config = {
            "name": f"synthetic-report-{self.total}-rows", "version": "1.0.0",
            "created": "2026-01-01T00:00:00Z",
            "title": f"合成政府工作报告数据{self.total}行",
            "description": "用于性能测试的合成数据包。",
            "keywords": ["合成数据"],
            "licenses": [{"name": "CC-BY-4.0",
                          "path": "https://creativecommons.org/licenses/by/4.0/",
                          "title": "Creative Commons Attribution 4.0 International"}],
            "contributors": [{"title": "opendata contributors", "roles": ["creator"]}],
            "tables": list(TABLES),
            "source": {"path": SOURCE_PATH, "sha256": sha256, "title": "合成政府工作报告",
                       "publisher": "合成区人民政府", "date": "2024-01-01",
                       "place": "合成区人民代表大会"},
            "temporal": {"start": "2023-01-01", "end": "2024-12-31"},
            "spatial": {"name": "合成区", "admin_code": "000000"},
        }
        en("package.title", config["title"],
           f"Synthetic government work report in figures, {self.total} rows")
        en("package.description", config["description"], "A synthetic package for benchmarks.")
        en("package.keyword", "合成数据", "synthetic data")
        for key, english in (("title", "Synthetic government work report"),
                             ("publisher", "People's Government of Synthetic District"),
                             ("place", "People's Congress of Synthetic District")):
            en(f"source.{key}", config["source"][key], english)
        en("spatial.name", "合成区", "Synthetic District")
        (self.root / "curation" / "package.yaml").write_text(
            json.dumps(config, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def generate(root: Path, rows: int, seed: int = 2024) -> Project:
    """A synthetic project of about ``rows`` rows in all tables, built, at ``root``."""
    return Generator(root, rows, seed).run()


# -- seeded errors ---------------------------------------------------------------------

# Errors that frictionless finds, by table and column: (code, field, new cell or None for
# "the id of the previous row").
SEEDS = [
    ("results", "value", "type-error", "一百"),
    ("results", "qualifier", "constraint-error", "roughly"),
    ("results", "indicator", "foreign-key", "no-such-indicator"),
    ("results", "id", "primary-key", None),
    ("targets", "year", "type-error", "next-year"),
    ("targets", "unit", "foreign-key", "no-such-unit"),
    ("projects", "project_count", "constraint-error", "-3"),
    ("projects", "id", "constraint-error", "Not_A_Slug"),
    ("honors", "level", "constraint-error", "galactic"),
    ("honors", "id", "primary-key", None),
]


def seed_errors(root: Path, per_kind: int = 40, seed: int = 7) -> list[tuple[str, int]]:
    """Break ``per_kind`` rows for each kind of SEEDS in the package at ``root``.

    The descriptor's bytes and hashes are updated, so that only the seeded rows are wrong.
    Returns the (path, row) of every changed row.
    """
    rng = random.Random(seed)
    descriptor = json.loads((root / "datapackage.json").read_text("utf-8"))
    changed = []
    for resource in descriptor["resources"]:
        name = resource["name"]
        kinds = [s for s in SEEDS if s[0] == name]
        if not kinds:
            continue
        path = root / resource["path"]
        rows = list(csv.reader(path.read_text("utf-8").splitlines()))
        header = rows[0]
        targets = rng.sample(range(2, len(rows)), min(len(rows) - 2, per_kind * len(kinds)))
        for i, number in enumerate(sorted(targets)):
            _, column, _, cell = kinds[i % len(kinds)]
            row = rows[number - 1]  # row numbers count the header as row 1
            if cell is None:
                row[header.index(column)] = rows[number - 2][header.index(column)]
            elif column == "unit" and not row[header.index("value")]:
                continue  # a qualitative target has no unit to break
            else:
                row[header.index(column)] = cell
            changed.append((resource["path"], number))
        content = csvfile_bytes(header, rows[1:])
        path.write_bytes(content)
        resource["bytes"] = len(content)
        resource["hash"] = f"sha256:{hashlib.sha256(content).hexdigest()}"
    (root / "datapackage.json").write_bytes(dumps(descriptor))
    return changed


def csvfile_bytes(header: list[str], rows: Iterator[list[str]]) -> bytes:
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")

