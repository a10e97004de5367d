"""Domain-pack templates (per language) and dictionary labeling of free text with a pack's terms."""

# Natural-language template data: one sentence per line reads better than split strings.
# ruff: noqa: E501

from __future__ import annotations

import ipaddress
import re
from typing import Any

from training.data.record import Span

__all__ = ["DOMAIN_PROSE", "label_terms"]

#: Extra themes added to the template bank when generating for a domain pack. ``{customer}`` (lower
#: case) is a pack customer in public news, unlabeled; ``{public_url}`` may be the company's public site.
DOMAIN_PROSE: dict[str, dict[str, list[str]]] = {
    "en": {
        "dom_deal": [
            "{CUSTOMER} asked for another {PCT} off, otherwise they move to a competitor.",
            "Ticket from {CUSTOMER}: {n} units failed in the field, they want replacements by {date}.",
            "Renewal with {CUSTOMER}: {MONEY} for {n} years, legal still reviewing.",
            "Call notes {CUSTOMER}: unhappy with latency, threatening to escalate to their CEO.",
            "Can you summarize our open issues with {CUSTOMER} for the QBR?",
            "{CUSTOMER} volume forecast for Q{q}: {num} units.",
            "Send {CUSTOMER} the revised quote, {MONEY} total.",
        ],
        "dom_project": [
            "Status {CODENAME}: {firmware|hardware|supplier} review {passed|failed}, next gate {date}.",
            "{CODENAME} {team|crew} needs access to {URL} before the demo.",
            "Forward the {CODENAME} deck to {CUSTOMER}? They signed the NDA{ last week|}.",
            "{CODENAME} costs are {PCT} over plan, {MONEY} so far.",
            "Is {CODENAME} still on track for the {CUSTOMER} pilot?",
        ],
        "neg_dom_news": [
            "{customer} was mentioned in today's {Reuters|Bloomberg|FT} article about {shipping|energy|health} stocks.",
            "Our public website {public_url} lists {customer} {among the references|as a reference customer}.",
            "{customer} opened a new office in {city}, according to their press release.",
            "Check the careers page at {public_url} for open roles.",
        ],
        "neg_dom_public": [
            "Has anyone benchmarked {namesake} (the open-source web server) against nginx?",
            "NASA's {namesake} satellite carried one of the first ozone mapping instruments.",
            "pip install {namesake} fails on Python 3.12 with a build error, any idea?",
            "The {namesake} release notes on GitHub mention a breaking change in the config format.",
            "We stayed at the {namesake} hotel in {city}, great breakfast.",
            "{namesake} is also the name of a popular board game, my kids love it.",
        ],
        "neg_dom_word": [
            "{Bird} photos from the weekend: {n} shots at the river.",
            "The {animal} enclosure at the zoo reopens on {date}.",
            "Add a spoon of {tree} paste to the curry.",
            "{Sky} tonight looked amazing.",
        ],
    },
    "de": {
        "dom_deal": [
            "{CUSTOMER} will noch {PCT} Rabatt, sonst wechseln sie zur Konkurrenz.",
            "Reklamation von {CUSTOMER}: {n} Geräte im Feld ausgefallen.",
            "Verlängerung mit {CUSTOMER}: {MONEY} für {n} Jahre.",
            "Fasse die offenen Punkte mit {CUSTOMER} für das Quartalsgespräch zusammen.",
        ],
        "dom_project": [
            "Stand {CODENAME}: Lieferantenaudit {bestanden|nicht bestanden}, nächster Meilenstein {date}.",
            "Die Kosten für {CODENAME} liegen {PCT} über Plan.",
            "Kann ich die {CODENAME}-Unterlagen an {CUSTOMER} schicken?",
        ],
        "neg_dom_news": [
            "{customer} wurde heute im Handelsblatt erwähnt.",
            "Auf unserer Website {public_url} steht {customer} als Referenzkunde.",
            "{customer} eröffnet laut Pressemitteilung einen Standort in {city}.",
        ],
        "neg_dom_public": [
            "Hat jemand {namesake} (den Open-Source-Webserver) schon mit nginx verglichen?",
            "Der Satellit {namesake} der NASA lieferte frühe Ozonmessungen.",
            "Die Versionshinweise von {namesake} auf GitHub nennen eine inkompatible Änderung.",
            "Wir waren im Hotel {namesake} in {city}, sehr zu empfehlen.",
        ],
        "neg_dom_word": ["Im Zoo gibt es jetzt einen {animal}.", "Am Weiher stand ein {bird}.", "Der {sky} war heute Nacht wunderschön."],
    },
    "fr": {
        "dom_deal": [
            "{CUSTOMER} demande encore {PCT} de remise, sinon ils partent chez un concurrent.",
            "Réclamation de {CUSTOMER} : {n} unités en panne sur le terrain.",
            "Renouvellement avec {CUSTOMER} : {MONEY} sur {n} ans.",
            "Résume nos sujets ouverts avec {CUSTOMER} pour la revue trimestrielle.",
        ],
        "dom_project": [
            "Point {CODENAME} : audit fournisseur {validé|échoué}, prochain jalon le {date}.",
            "Le coût de {CODENAME} dépasse le budget de {PCT}.",
            "Peut-on envoyer la présentation {CODENAME} à {CUSTOMER} ?",
        ],
        "neg_dom_news": [
            "{customer} a été cité aujourd'hui dans Les Échos.",
            "Notre site {public_url} présente {customer} parmi nos références.",
        ],
        "neg_dom_public": [
            "Quelqu'un a comparé {namesake} (le serveur web open source) à nginx ?",
            "Le satellite {namesake} de la NASA a fourni les premières mesures d'ozone.",
            "Les notes de version de {namesake} sur GitHub signalent un changement incompatible.",
            "Nous avons dormi à l'hôtel {namesake} à {city}, très bien.",
        ],
        "neg_dom_word": ["Au zoo de {city}, le {animal} est la star.", "Un {bird} pêchait au bord de la rivière."],
    },
    "ja": {
        "dom_deal": [
            "{CUSTOMER}からさらに{PCT}の値引き要求。応じなければ他社に切り替えるそうです。",
            "{CUSTOMER}から不具合報告：{n}台が故障。",
            "{CUSTOMER}との契約更新：{n}年で{MONEY}。",
            "{CUSTOMER}との課題を四半期レビュー用にまとめて。",
        ],
        "dom_project": [
            "{CODENAME}の進捗：サプライヤー監査は{合格|不合格}、次のマイルストーンは{date}。",
            "{CODENAME}の費用は計画比{PCT}超過しています。",
            "{CUSTOMER}に{CODENAME}の資料を送ってもいいですか？",
        ],
        "neg_dom_news": [
            "今日の日経新聞に{customer}の記事が載っていました。",
            "当社の公式サイト{public_url}に{customer}が導入事例として掲載されています。",
        ],
        "neg_dom_public": [
            "オープンソースのWebサーバー{namesake}とnginxを比較した人はいますか？",
            "NASAの衛星{namesake}は初期のオゾン観測に使われました。",
            "GitHubの{namesake}のリリースノートに互換性のない変更が書かれています。",
        ],
        "neg_dom_word": ["{sky}に照らされた湖がきれいだった。", "動物園で{animal}を見た。", "川辺に{bird}がいた。"],
    },
    "zh": {
        "dom_deal": [
            "{CUSTOMER}又要求降价{PCT}，不然就换供应商。",
            "{CUSTOMER}反馈{n}台设备现场故障。",
            "和{CUSTOMER}续约：{n}年{MONEY}。",
            "把和{CUSTOMER}的遗留问题整理一下，季度复盘用。",
        ],
        "dom_project": [
            "{CODENAME}进展：供应商审核{通过|未通过}，下一个节点是{date}。",
            "{CODENAME}的成本超出计划{PCT}。",
            "可以把{CODENAME}的资料发给{CUSTOMER}吗？",
        ],
        "neg_dom_news": [
            "今天的财经新闻提到了{customer}。",
            "公司官网{public_url}上把{customer}列为合作伙伴。",
        ],
        "neg_dom_public": [
            "有人把开源 Web 服务器{namesake}和 nginx 做过对比吗？",
            "NASA 的{namesake}卫星提供了早期的臭氧观测数据。",
            "GitHub 上{namesake}的发布说明提到了一个不兼容的改动。",
        ],
        "neg_dom_word": ["窗外飞过一只{bird}。", "动物园里的{animal}很可爱。", "今晚的{sky}很美。"],
    },
}  # fmt: skip

_FIN_CUES = re.compile(
    r"marg|budget|revenue|umsatz|preis|price|prix|rabatt|discount|remise|salary|gehalt|salaire|forecast|"
    r"prognose|chiffre|予算|売上|利益|年収|预算|营收|利润|毛利|薪",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"(?:[$€£¥]\s?\d[\d.,]*\s?(?:[MBkK]|Mio\.?|Mrd\.?|million|bn)?|\d[\d.,\u202f ]*\s?(?:%|％|Mio\. ?€|M€|k€|€|EUR|USD|"
    r"億円|万円|円|亿元|万元|元))"
)
_PREFIXES = ("Project ", "Projekt ", "Projet ")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?::\d{1,5})?(?![\d.])")


def label_terms(text: str, values: Any) -> list[Span]:
    """Spans of a domain pack's terms in ``text`` (case-sensitive as written in the pack).

    Codenames (an attached Project/Projekt/Projet prefix included), customers, internal hosts and URLs
    on the pack's domains, IPs inside its ranges, its secret formats, and money/percent figures when the
    sentence talks about money. Overlaps are resolved longest-first.
    """
    found: list[tuple[int, int, str]] = []
    for spelling in values.codename_spellings:
        for m in re.finditer(re.escape(spelling), text):
            start = m.start()
            for prefix in _PREFIXES:
                if text[max(0, start - len(prefix)) : start] == prefix:
                    start -= len(prefix)
            if _word_bounded(text, m.start(), m.end(), spelling):
                found.append((start, m.end(), "CODENAME"))
    for name in values.customer_spellings:
        for m in re.finditer(re.escape(name), text):
            if _word_bounded(text, m.start(), m.end(), name):
                found.append((m.start(), m.end(), "CUSTOMER"))
    for dom in values.host_domains:
        pattern = (
            r"(?:https?://)?(?:[A-Za-z0-9-]+\.)*" + re.escape(dom) + r"(?::\d{1,5})?(?:/[^\s\"'<>)\]]*)?"
        )
        for m in re.finditer(pattern, text):
            end = m.end()
            while end > m.start() and text[end - 1] in ".,;:!?":
                end -= 1
            found.append((m.start(), end, "INTERNAL_HOST"))
    for m in _IPV4.finditer(text):
        addr = m.group().split("/")[0].split(":")[0]
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            continue
        if any(ip in net for net in values.ip_ranges):
            found.append((m.start(), m.end(), "INTERNAL_HOST"))
    for _, regex in values.secret_formats:
        for m in re.finditer(regex, text):
            found.append((m.start(), m.end(), "SECRET"))
    if _FIN_CUES.search(text):
        for m in _MONEY.finditer(text):
            value = m.group().strip()
            if any(c.isdigit() for c in value) and not value.replace(".", "").replace(",", "").isdigit():
                start = m.start() + (len(m.group()) - len(m.group().lstrip()))
                found.append((start, start + len(value), "FINANCIAL"))
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    spans: list[Span] = []
    for start, end, label in found:
        if spans and start < spans[-1]["end"]:
            continue
        spans.append({"start": start, "end": end, "label": label})
    return spans


def _word_bounded(text: str, start: int, end: int, term: str) -> bool:
    """Latin terms must not sit inside a longer word; CJK terms have no word boundaries."""
    if not term[:1].isascii():
        return True
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and before.isascii()) and not (after.isalpha() and after.isascii())
