"""Simplified and traditional Chinese: one grammar for both scripts.

Reports reposted online are often converted to traditional characters (億元, 萬人, 個, 區).
Matching folds a text to simplified, one character for one, so every offset found in the
folded text is an offset of the original: what is published is always cut from the text as
printed, in its own script.
"""

from __future__ import annotations

import re

# Traditional → simplified, for the characters of numbers, units, qualifiers, modal marks
# and the words the draft reads (verbs, table cues, headings). One character each way.
_PAIRS = (
    "億亿 萬万 兩两 個个 戶户 區区 項项 場场 張张 處处 條条 餘余 約约 於于 預预 計计 爭争 "
    "畝亩 噸吨 輛辆 間间 棟栋 門门 類类 業业 資资 產产 總总 額额 "
    "長长 進进 設设 實实 現现 發发 創创 獲获 評评 榮荣 選选 國国 級级 縣县 鎮镇 "
    "鄉乡 莊庄 劃划 報报 務务 經经 濟济 農农 醫医 學学 園园 歲岁 銷销 貨货 費费 "
    "際际 貿贸 積积 綠绿 網网 電电 車车 機机 會会 議议 屆届 開开 數数 據据 點点 "
    "達达 標标 續续 過过 幣币 稅税 擴扩 劃划 據据 並并 與与 為为 對对 從从 將将 "
    "規规 營营 務务 參参 雙双 億亿 萬万 個个 歷历 層层 養养 環环 衛卫 護护 "
    "險险 區区 補补 準准 證证 質质 務务 體体 運运 維维 廣广 滿满 傳传 親亲 "
    "圖图 貼贴 購购 鏈链 戰战 優优 勢势 級级 線线 車车 聯联 輸输 鐵铁 橋桥 "
    "築筑 戲戏 藝艺 審审 辦办 興兴 壯壮 態态 節节 減减 約约 強强 爲为 "
    "勞劳 動动 務务 職职 專专 結结 構构 幾几 門门 館馆 閣阁 際际 來来 讓让 "
    "頭头 陽阳 陰阴 陸陆 隊队 歸归 壩坝 灣湾 藥药 啟启 綜综 級级 屬属 "
    "號号 價价 檢检 驗验 術术 權权 觀观 響响 邊边 廠厂 礦矿 鄰邻 們们 這这 樣样 還还 當当 應应 "
    "變变 關关 係系 錢钱 漢汉 織织 紹绍 絡络 蘇苏 龍龙 齊齐 壓压 臨临 眾众 熱热 簽签 約约 "
    "細细 濃浓 糧粮 遊游 氣气 記记 調调 漲涨 試试 單单 顆颗 "
    "億亿 團团 圓圆 複复 須须 嚴严 藍蓝 紀纪 綫线 籃篮 風风 書书 覽览 "
)
_FOLD = {ord(pair[0]): pair[1] for pair in _PAIRS.split()}
_UNFOLD: dict[int, str] = {}
for _traditional, _simplified in _FOLD.items():
    _UNFOLD.setdefault(ord(_simplified), chr(_traditional))
_TRADITIONAL = re.compile("[" + "".join(sorted(map(chr, _FOLD))) + "]")


def fold(text: str) -> str:
    """``text`` with the traditional characters known here in simplified form.

    The result has the same length, character for character.
    """
    return text.translate(_FOLD) if _TRADITIONAL.search(text) else text


def is_traditional(text: str) -> bool:
    """Whether ``text`` is printed in traditional characters (more of them than of the
    simplified forms they have)."""
    traditional = len(_TRADITIONAL.findall(text))
    simplified = sum(text.count(chr(s)) for s in _UNFOLD) if traditional else 0
    return traditional > simplified


def to_traditional(text: str) -> str:
    """``text`` with the simplified characters known here in traditional form (for labels
    a project of a traditional-character source writes itself, such as units)."""
    return text.translate(_UNFOLD)
