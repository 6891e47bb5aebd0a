"""Which year a section speaks of: the review of the past year, or the plans for the next.

A heading may say so (2023年工作回顾, 主要预期目标); otherwise the clauses' own words vote:
what was done (已, 同比, 累计, 获评, 预计全年) against what is to be done (力争, 确保, 加快).
A section with no clear vote takes its heading's, and a heading with none the review year
when the report's text shows no plans at all.
"""

from __future__ import annotations

import re

from opendata.curate.script import fold

REVIEW, PLAN = "results", "targets"

_REVIEW_HEADING = ("回顾", "过去一年", "去年", "成绩", "成效", "成就", "主要工作", "佳绩")
_PLAN_HEADING = ("目标", "预期", "安排", "总体要求", "主要任务", "重点工作", "今年", "明年",
                 "工作打算", "重点任务", "思路")
_DONE = {"已": 1, "同比": 3, "比上年": 3, "较上年": 3, "累计": 2, "获评": 2, "荣获": 2,
         "入选": 2, "获批": 2, "圆满": 2, "预计全年": 4, "顺利": 2, "全年": 1, "完成": 1,
         "建成": 1, "实现": 1, "成功": 2, "取得": 1, "首次": 1, "位居": 1, "排名": 2,
         "居": 1, "达到": 1, "增长": 0, "共": 1}
_TO_DO = {"力争": 3, "确保": 2, "将": 1, "要": 1, "加快": 2, "推进": 1, "推动": 1, "着力": 2,
          "大力": 1, "谋划": 1, "打造": 1, "积极": 1, "全力": 1, "争取": 2, "计划": 2,
          "预期": 3, "目标": 1, "坚持": 1, "持续": 1, "深化": 1, "扎实": 1, "聚焦": 1,
          "不低于": 2, "不少于": 2, "稳定在": 2, "保持在": 2}


def heading_table(heading: str, reviewed_year: int | None,
                  report_year: int | None) -> tuple[str, bool] | None:
    """(results or targets, whether the heading names the year) when a heading says which
    year it covers, else None."""
    text = fold(heading)
    if reviewed_year and f"{reviewed_year}年" in text:
        return REVIEW, True
    if report_year and f"{report_year}年" in text:
        return PLAN, True
    if any(word in text for word in _PLAN_HEADING):
        return PLAN, False
    if any(word in text for word in _REVIEW_HEADING):
        return REVIEW, False
    return None


def vote(text: str) -> int:
    """Positive when ``text`` reads as what was done, negative as what is to be done."""
    text = fold(text)
    done = sum(weight * _count(text, word) for word, weight in _DONE.items())
    to_do = sum(weight * _count(text, word) for word, weight in _TO_DO.items())
    return done - to_do


def _count(text: str, word: str) -> int:
    return len(re.findall(re.escape(word), text))
