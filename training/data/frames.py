"""Channel furniture that is data: localized form fields, signature prefixes, code-fence languages,
connectives between sentences."""

# Data tables: one entry per line reads better than wrapped strings.
# ruff: noqa: E501

from __future__ import annotations

__all__ = ["CONNECTIVES", "FENCE_LANG", "FORM_FIELDS", "SEP", "SIG_PHONE"]

#: lang -> form fields (field name, slot)
FORM_FIELDS: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("Full name", "PERSON"),
        ("First name", "FIRST"),
        ("Last name", "LAST"),
        ("Email", "EMAIL"),
        ("Phone", "PHONE"),
        ("Mobile", "PHONE"),
        ("Address", "ADDRESS"),
        ("SSN", "SSN"),
        ("Card number", "CARD"),
        ("Routing number", "ROUTING"),
        ("Account number", "ACCOUNT"),
        ("Date of birth", "date"),
        ("Order number", "order"),
        ("Company", "public_company"),
        ("City", "city"),
    ],
    "de": [
        ("Name", "PERSON"),
        ("Vorname", "FIRST"),
        ("Nachname", "LAST"),
        ("E-Mail", "EMAIL"),
        ("Telefon", "PHONE"),
        ("Anschrift", "ADDRESS"),
        ("Steuer-ID", "STEUER_ID"),
        ("Ausweisnummer", "PERSO"),
        ("SV-Nummer", "SVNR"),
        ("IBAN", "IBAN"),
        ("Geburtsdatum", "date"),
        ("Bestellnummer", "order"),
        ("Ort", "city"),
    ],
    "fr": [
        ("Nom", "LAST"),
        ("Prénom", "FIRST"),
        ("Nom complet", "PERSON"),
        ("Courriel", "EMAIL"),
        ("Téléphone", "PHONE"),
        ("Adresse", "ADDRESS"),
        ("N° de sécurité sociale", "NIR"),
        ("IBAN", "IBAN"),
        ("Carte", "CARD"),
        ("Date de naissance", "date"),
        ("N° de commande", "order"),
        ("Ville", "city"),
    ],
    "ja": [
        ("氏名", "PERSON"),
        ("姓", "LAST"),
        ("名", "FIRST"),
        ("メールアドレス", "EMAIL"),
        ("電話番号", "PHONE"),
        ("住所", "ADDRESS"),
        ("マイナンバー", "MYNUMBER"),
        ("口座番号", "ACCOUNT"),
        ("カード番号", "CARD"),
        ("生年月日", "date"),
        ("注文番号", "order"),
        ("市区町村", "city"),
    ],
    "zh": [
        ("姓名", "PERSON"),
        ("邮箱", "EMAIL"),
        ("手机", "PHONE"),
        ("地址", "ADDRESS"),
        ("身份证号", "SFZ"),
        ("银行卡号", "UNIONPAY"),
        ("对公账号", "ACCOUNT"),
        ("收款账号", "ACCOUNT"),
        ("信用卡", "CARD"),
        ("出生日期", "date"),
        ("订单号", "order"),
        ("城市", "city"),
    ],
}
SEP = {"en": ": ", "de": ": ", "fr": " : ", "ja": "：", "zh": "："}
SIG_PHONE = {
    "en": ("Tel: ", "Mobile: ", "M ", "Phone: "),
    "de": ("Tel.: ", "Mobil: ", "T "),
    "fr": ("Tél. : ", "Portable : "),
    "ja": ("TEL：", "携帯："),
    "zh": ("电话：", "手机："),
}
FENCE_LANG = {
    "config": ("", "env", "yaml", "ini"),
    "log": ("", "text", "log"),
    "stacktrace": ("", "text", "python"),
    "sql": ("sql", ""),
    "curl": ("bash", "sh", ""),
    "code": ("python", "js", "", "go"),
    "csv": ("csv", "", "text"),
    "http": ("http", "", "text"),
    "fields": ("", "text"),
}


#: connectives people put between unrelated requests in one message
CONNECTIVES: dict[str, tuple[str, ...]] = {
    "en": ("Also, ", "Btw, ", "Another thing: ", "Oh and ", "PS: ", "Separately, "),
    "de": ("Außerdem: ", "Übrigens: ", "Noch was: ", "PS: ", "Und: "),
    "fr": ("Autre chose : ", "Au fait, ", "Par ailleurs, ", "PS : ", "Et aussi : "),
    "ja": ("あと、", "ちなみに、", "それから、", "追伸："),
    "zh": ("另外，", "顺便说一下，", "还有，", "附：", "对了，"),
}
