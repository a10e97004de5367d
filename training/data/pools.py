"""Word pools and value generators for names, codenames, companies, hosts and money.

Pools that carry identity (codename words, company stems, internal company names) are split
80/20 into train/heldout by a stable hash (`in_split`), so the held-out split shows the model names
it never saw in training.
"""

# Value tables: one entry per line reads better than wrapped strings.
# ruff: noqa: E501

from __future__ import annotations

import hashlib
import ipaddress
import random

__all__ = [
    "CODENAME_WORDS",
    "PASSWORD_WORDS",
    "PUBLIC_COMPANIES",
    "PUBLIC_EVENTS",
    "PUBLIC_FIGURES",
    "PUBLIC_HOSTS",
    "PUBLIC_INSTITUTIONS",
    "PUBLIC_SOFTWARE",
    "codename",
    "company_name",
    "in_split",
    "internal_host",
    "internal_ip",
    "internal_url",
    "public_url",
    "split_pool",
]


def stable_hash(key: str) -> int:
    """A process-independent hash (``hash()`` is salted per process)."""
    return int.from_bytes(hashlib.sha1(key.encode()).digest()[:8], "big")


def in_split(key: str, split: str, heldout_pct: int = 20) -> bool:
    """True when ``key`` belongs to ``split`` (``train`` or ``heldout``) under a stable hash partition."""
    held = stable_hash("pool:" + key) % 100 < heldout_pct
    return held if split == "heldout" else not held


def split_pool(items: tuple[str, ...] | list[str], split: str) -> list[str]:
    """The part of ``items`` that belongs to ``split`` (never empty: falls back to all items)."""
    part = [x for x in items if in_split(x, split)]
    return part or list(items)


# ------------------------------------------------------------------ codename words (also ordinary nouns)
#: lang -> category -> words. The same words serve as codenames (positives) and in their ordinary
#: sense (negatives), so the model must learn from context, not from the word. The names of the
#: example domain pack (deploy/domains/example-kestrel.yaml) and the code names listed in the public dev
#: set's README are deliberately absent: the generic model must generalise to names it never saw.
CODENAME_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "animal": ("Lynx", "Otter", "Badger", "Gecko", "Marten", "Jackal", "Bison", "Ocelot", "Tapir",
                   "Wombat", "Mongoose", "Ibex", "Caribou", "Narwhal", "Manatee", "Wolverine", "Coyote", "Puma",
                   "Lemur", "Pangolin", "Meerkat", "Walrus", "Stingray", "Barracuda", "Marlin", "Mustang"),
        "bird": ("Falcon", "Osprey", "Plover", "Curlew", "Egret",
                 "Albatross", "Condor", "Petrel", "Starling", "Wren", "Nightjar", "Merlin", "Harrier", "Magpie",
                 "Cormorant", "Puffin", "Swift", "Raven", "Lark", "Ibis", "Crane", "Goshawk", "Bluejay"),
        "tree": ("Cedar", "Juniper", "Aspen", "Sequoia", "Rowan", "Hawthorn", "Banyan",
                 "Cypress", "Magnolia", "Acacia", "Willow", "Linden", "Hemlock", "Baobab", "Mangrove", "Sycamore"),
        "sky": ("Vega", "Rigel", "Altair", "Sirius", "Polaris", "Andromeda", "Orion", "Cirrus", "Aurora", "Zenith", "Nebula", "Pulsar", "Quasar", "Equinox", "Solstice", "Comet"),
        "mineral": ("Basalt", "Cobalt", "Onyx", "Quartz", "Garnet", "Obsidian", "Granite", "Jasper", "Topaz",
                    "Beryl", "Feldspar", "Malachite", "Cinnabar", "Pyrite", "Graphite", "Tungsten", "Bismuth"),
    },
    "de": {
        "animal": ("Luchs", "Dachs", "Fischotter", "Murmeltier", "Steinbock", "Gämse", "Wiesel", "Hermelin",
                   "Feldhase", "Igel", "Biber", "Wisent", "Elch", "Marder", "Salamander"),
        "bird": ("Eisvogel", "Kranich", "Steinadler", "Wanderfalke", "Bussard", "Uhu", "Zaunkönig",
                 "Rotkehlchen", "Pirol", "Kiebitz", "Milan", "Habicht", "Seeadler", "Dompfaff", "Stieglitz"),
        "tree": ("Eiche", "Buche", "Ahorn", "Eibe", "Lärche", "Wacholder", "Esche", "Erle", "Birke", "Holunder"),
        "sky": ("Abendstern", "Polarlicht", "Nordlicht", "Morgenrot", "Sternschnuppe", "Wetterleuchten"),
        "mineral": ("Bergkristall", "Feldspat", "Glimmer", "Achat", "Bernstein", "Schiefer", "Basalt"),
    },
    "fr": {
        "animal": ("Blaireau", "Renard", "Chamois", "Bouquetin", "Hérisson", "Loutre", "Castor", "Lynx",
                   "Marmotte", "Écureuil", "Sanglier", "Belette"),
        "bird": ("Héron", "Martinet", "Colibri", "Mésange", "Hirondelle", "Pélican", "Flamant", "Faucon",
                 "Rossignol", "Alouette", "Vautour", "Goéland", "Fauvette", "Bécasse", "Martin-pêcheur"),
        "tree": ("Chêne", "Platane", "Tilleul", "Olivier", "Mimosa", "Châtaignier", "Peuplier", "Cèdre", "Bouleau"),
        "sky": ("Bételgeuse", "Aldébaran", "Sirius", "Mistral", "Tramontane", "Sirocco", "Étoile"),
        "mineral": ("Saphir", "Rubis", "Émeraude", "Améthyste", "Opale", "Grenat", "Silex", "Ardoise"),
    },
    "ja": {
        "animal": ("狐", "狸", "鹿", "熊", "猪", "獅子", "麒麟", "白虎", "河童"),
        "bird": ("隼", "朱雀", "鳳凰", "雲雀", "燕", "鶴", "鷹", "翡翠", "鴎", "梟", "雷鳥"),
        "tree": ("桜", "楓", "椿", "銀杏", "欅", "檜", "紅葉", "松風"),
        "sky": ("北斗", "昴", "銀河", "流星", "暁", "彗星", "天狼", "夕凪", "稲妻", "春雷"),
        "mineral": ("瑠璃", "琥珀", "水晶", "黒曜", "珊瑚", "真珠"),
    },
    "zh": {
        "animal": ("麒麟", "玄武", "白虎", "猎豹", "雪豹", "金丝猴", "熊猫", "海豚", "白泽"),
        "bird": ("白鹭", "朱雀", "鲲鹏", "鸿雁", "云雀", "孔雀", "丹顶鹤", "海燕", "精卫", "翠鸟"),
        "tree": ("银杏", "红杉", "梧桐", "青松", "翠竹", "木棉", "腊梅"),
        "sky": ("北斗", "昆仑", "天河", "星火", "启明", "长庚", "极光", "羲和", "天枢", "鸿蒙"),
        "mineral": ("翡翠", "玄铁", "琉璃", "黑曜", "赤金", "白玉"),
    },
}  # fmt: skip

_GREEK = ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Theta", "Kappa", "Lambda", "Sigma", "Omega",
          "Tau", "Rho", "Omicron", "Iota")  # fmt: skip
_COLORS = {"en": ("Blue", "Red", "Silver", "Black", "Golden", "White", "Iron", "Night", "Storm", "Copper"),
           "de": ("Blau", "Rot", "Silber", "Schwarz", "Gold", "Weiß", "Eisen", "Nacht", "Sturm"),
           "fr": ("Bleu", "Rouge", "Argent", "Noir", "Or", "Blanc", "Fer", "Nuit")}  # fmt: skip
_PROJECT_PREFIX = {
    "en": ("Project ", "Project ", "Operation ", "Program "),
    "de": ("Projekt ",),
    "fr": ("Projet ",),
}


def codename_word(rng: random.Random, lang: str, split: str, category: str | None = None) -> tuple[str, str]:
    """``(word, category)`` from the codename pool of ``lang`` restricted to ``split``."""
    cats = CODENAME_WORDS[lang]
    category = category or rng.choice(list(cats))
    return rng.choice(split_pool(cats[category], split)), category


def codename(rng: random.Random, lang: str, split: str) -> str:
    """A project code name as written in ``lang`` (``Project Falcon``, ``BLUE FALCON``, ``Sigma-7``, ``北斗``).

    The returned string is the full CODENAME span (an attached Project/Projekt/Projet prefix included).
    """
    if lang in ("ja", "zh"):
        if rng.random() < 0.3:  # CJK texts often carry a Latin code name
            lang = "en"
        else:
            return codename_word(rng, lang, split)[0]
    word, _ = codename_word(rng, lang, split)
    style = rng.random()
    if style < 0.12:
        word = f"{rng.choice(split_pool(_GREEK, split))}{rng.choice(['-', ' ', ''])}{rng.randint(1, 12)}"
    elif style < 0.2:
        word = f"{word}-{rng.randint(2, 9)}"
    elif style < 0.3 and lang in _COLORS:
        color = rng.choice(_COLORS[lang])
        word = f"{color} {word}" if rng.random() < 0.6 else f"{color}{word}"
    if rng.random() < 0.12:
        word = word.upper()
    if rng.random() < 0.25:
        word = rng.choice(_PROJECT_PREFIX[lang]) + word
    return word


# ------------------------------------------------------------------ companies
_STEMS = ("Lindqvist", "Marlow", "Keystone", "Northbay", "Aldridge", "Velmar",
          "Corvin", "Tessaro", "Blackmoor", "Sundberg", "Greyfield", "Westbrook", "Ravensworth", "Hollins",
          "Pembury", "Arklow", "Fenwick", "Solvay", "Rheinfeld", "Altmann", "Bergmann", "Hagedorn", "Lichtenau",
          "Dufresne", "Marchand", "Beaulieu", "Carvalho", "Moreau", "Vasseur", "Delaunay", "Ferrand",
          "Quantix", "Nordlys", "Azuria", "Veridian", "Stratos", "Oberon", "Calder", "Tidewell", "Orrin",
          "Mistral", "Prairie", "Cobaltis", "Helvion", "Zephyr")  # fmt: skip
_SECTORS = {
    "en": (
        "Shipping",
        "Health",
        "Logistics",
        "Foods",
        "Capital",
        "Robotics",
        "Materials",
        "Retail",
        "Systems",
        "Energy",
        "Pharma",
        "Analytics",
        "Aerospace",
        "Mining",
        "Textiles",
        "Motors",
        "Labs",
    ),
    "de": (
        "Energie",
        "Logistik",
        "Maschinenbau",
        "Versicherung",
        "Bau",
        "Stahl",
        "Medizintechnik",
        "Handel",
        "Lebensmittel",
        "Elektronik",
        "Verkehrsbetriebe",
        "Holding",
    ),
    "fr": (
        "Logistique",
        "Énergie",
        "Assurances",
        "Aéronautique",
        "Distribution",
        "Santé",
        "Transports",
        "Industries",
        "Conseil",
        "Télécom",
        "Agroalimentaire",
    ),
}
_ROMAN_STEMS = ("Daiwa", "Hokushin", "Toho", "Takasago", "Asahi", "Mizuho-Koki", "Aoba", "Shinko", "Koyo", "Okabe",
                "Huatai", "Ruifeng", "Dingsheng", "Hengtong", "Hairun", "Jinqiao", "Tiancheng", "Hongda", "Boyuan", "Jiahe")  # fmt: skip
_FR_PREFIX = ("Banque", "Groupe", "Société", "Maison", "Laboratoires", "Compagnie", "Ateliers", "Transports")
_LEGAL = {"en": ("Inc.", "Ltd", "LLC", "Corp.", "plc", "AS", "AB", "Pty Ltd", "Co., Ltd.", "", ""),
          "de": ("GmbH", "AG", "GmbH & Co. KG", "SE", "KG", ""),
          "fr": ("SAS", "SA", "SARL", "& Cie", "")}  # fmt: skip
_JA_STEMS = ("大和", "北辰", "東邦", "高砂", "白鳳", "旭日", "昭和", "富嶽", "瑞穂", "青葉", "丸紅谷", "桜井",
             "岡部", "新光", "光洋")  # fmt: skip
_JA_SECTORS = (
    "商事",
    "物産",
    "精機",
    "電機",
    "化学",
    "製作所",
    "運輸",
    "工業",
    "薬品",
    "食品",
    "重工",
    "通商",
)
_ZH_STEMS = ("华泰", "瑞丰", "鼎盛", "恒通", "海润", "金桥", "天成", "宏达", "博远", "嘉禾", "远航", "东盛",
             "中远", "新奥", "宇辰")  # fmt: skip
_ZH_SECTORS = (
    "精密工具",
    "电子科技",
    "物流",
    "医药",
    "新能源",
    "机械制造",
    "贸易",
    "信息技术",
    "化工",
    "汽车零部件",
)
_ZH_CITIES = ("深圳", "上海", "苏州", "杭州", "广州", "北京", "成都", "武汉", "")


def company_name(rng: random.Random, lang: str, split: str) -> str:
    """A fictitious company name as written in ``lang`` (with a legal form most of the time)."""
    if lang == "ja":
        stem = rng.choice(split_pool(_JA_STEMS, split)) + rng.choice(_JA_SECTORS)
        form = rng.random()
        if form < 0.4:
            return f"{stem}株式会社"
        if form < 0.7:
            return f"株式会社{stem}"
        if form < 0.8:
            return f"{stem}(株)"
        return stem
    if lang == "zh":
        stem = rng.choice(split_pool(_ZH_STEMS, split))
        city = rng.choice(_ZH_CITIES)
        sector = rng.choice(_ZH_SECTORS)
        legal = rng.choice(["有限公司", "股份有限公司", "集团", "", "有限公司"])
        if city and rng.random() < 0.5:
            return f"{stem}{sector}（{city}）{legal or '有限公司'}"
        return f"{city if rng.random() < 0.4 else ''}{stem}{sector}{legal}"
    if lang not in _SECTORS:
        lang = "en"
    stem = rng.choice(split_pool(_STEMS, split))
    if lang == "en" and rng.random() < 0.2:  # Asian partners written in Latin script
        stem = rng.choice(split_pool(_ROMAN_STEMS, split))
    if lang == "fr" and rng.random() < 0.3:
        stem = f"{rng.choice(_FR_PREFIX)} {stem}"
    parts = [stem]
    if rng.random() < 0.75:
        parts.append(rng.choice(_SECTORS[lang]))
    legal = rng.choice(_LEGAL[lang])
    if legal:
        parts.append(legal)
    name = " ".join(parts)
    if rng.random() < 0.15 and lang == "en":
        name = name.replace(stem, f"{stem} & {rng.choice(split_pool(_STEMS, split))}", 1)
    return name


PUBLIC_COMPANIES: tuple[str, ...] = (
    "Apple", "Microsoft", "Google", "Amazon", "Siemens", "SAP", "Volkswagen", "BMW", "TotalEnergies", "LVMH",
    "Airbus", "Renault", "Toyota", "Sony", "Nintendo", "SoftBank", "Alibaba", "Tencent", "Huawei", "BYD",
    "Nvidia", "Tesla", "Netflix", "Deutsche Bank", "BNP Paribas", "トヨタ自動車", "ソニー", "任天堂", "阿里巴巴", "腾讯",
    "比亚迪", "华为", "Meta", "OpenAI", "Samsung", "Bosch", "Danone", "L'Oréal",
)  # fmt: skip

PUBLIC_FIGURES: dict[str, tuple[str, ...]] = {
    "en": ("Joe Biden", "Donald Trump", "Elon Musk", "Satya Nadella", "Tim Cook", "Sundar Pichai",
           "Jensen Huang", "Mark Zuckerberg", "Kamala Harris", "Barack Obama", "Taylor Swift", "Jeff Bezos"),
    "de": ("Olaf Scholz", "Friedrich Merz", "Angela Merkel", "Ursula von der Leyen", "Christian Lindner",
           "Roland Busch", "Oliver Blume", "Frank-Walter Steinmeier"),
    "fr": ("Emmanuel Macron", "Bernard Arnault", "Christine Lagarde", "Marine Le Pen", "Michel Barnier",
           "Patrick Pouyanné", "Kylian Mbappé"),
    "ja": ("岸田文雄", "石破茂", "孫正義", "豊田章男", "大谷翔平", "柳井正", "安倍晋三"),
    "zh": ("习近平", "李强", "马云", "马化腾", "任正非", "雷军", "王传福"),
}  # fmt: skip

PUBLIC_HOSTS: tuple[str, ...] = (
    "github.com", "gitlab.com", "stackoverflow.com", "docs.python.org", "pypi.org", "www.npmjs.com",
    "developer.mozilla.org", "en.wikipedia.org", "de.wikipedia.org", "fr.wikipedia.org", "ja.wikipedia.org",
    "learn.microsoft.com", "docs.aws.amazon.com", "cloud.google.com", "kubernetes.io", "hub.docker.com",
    "www.google.com", "news.ycombinator.com", "www.reddit.com", "www.heise.de", "www.lemonde.fr",
    "qiita.com", "zenn.dev", "www.zhihu.com", "juejin.cn", "api.openai.com", "api.stripe.com", "registry.npmjs.org",
    "huggingface.co", "arxiv.org", "www.bundesbank.de", "www.service-public.fr", "www.digital.go.jp",
    "8.8.8.8", "1.1.1.1",
)  # fmt: skip

_PATHS = ("/docs/getting-started", "/issues/1423", "/blob/main/README.md", "/en/latest/", "/questions/77123",
          "/wiki/Main_Page", "/api/v1/status", "/pulls?q=is%3Aopen", "/releases/tag/v2.4.1", "/search?q=timeout",
          "/library/asyncio.html", "/guide/install", "/", "/pricing", "/blog/2025/launch")  # fmt: skip


def public_url(rng: random.Random, split: str = "train") -> str:
    """A public website URL (not sensitive): well-known sites, or a (fictitious) company's public site,
    which must not look internal just because the name is unknown."""
    if rng.random() < 0.35:
        slug = company_slug(rng, split)
        tld = rng.choice([".com", ".de", ".fr", ".co.jp", ".cn", ".io", "-group.com"])
        path = rng.choice(["/", "/about", "/careers", "/news", "/products", "/contact", "/en/press"])
        return f"https://{rng.choice(['www.', ''])}{slug}{tld}{path}"
    host = rng.choice(PUBLIC_HOSTS[:-2])
    return f"https://{host}{rng.choice(_PATHS)}"


# ------------------------------------------------------------------ internal hosts
_SYL = ("ka", "ve", "lo", "tri", "mar", "no", "zen", "quo", "bra", "del", "fin", "gal", "hel", "ix", "jor", "kel",
        "lum", "mev", "nor", "ost", "pra", "rin", "sol", "tor", "ul", "vas", "wen", "xy", "yor", "zel")  # fmt: skip
_SERVICES = ("git", "wiki", "jira", "confluence", "vault", "grafana", "kibana", "jenkins", "ci", "build", "nexus",
             "artifactory", "ldap", "ad", "sso", "auth", "pg-ledger", "db", "mysql", "mongo", "redis", "kafka",
             "es", "prometheus", "sentry", "intranet", "hr", "payroll", "crm", "erp", "sap", "files", "nas",
             "backup", "vpn", "mail", "smtp", "exchange", "api", "gateway", "k8s-master", "etcd", "minio",
             "harbor", "registry", "staging", "uat", "dev", "portal", "sharepoint", "bi", "tableau",
             "airflow", "spark-master", "hadoop-nn", "ftp", "printer", "svn")  # fmt: skip
_INTERNAL_SUFFIXES = ("corp.{c}.net", "{c}.internal", "{c}.local", "{c}.lan", "int.{c}.com", "{c}.intra",
                      "intranet.{c}.de", "{c}.corp", "ad.{c}.com", "prod.{c}.internal", "{c}-dc1.local",
                      "internal.{c}.io", "{c}.priv", "svc.cluster.local", "corp.{c}.co.jp", "{c}.home.arpa",
                      "dev.{c}.internal", "{c}-intra.fr", "office.{c}.lan", "it.{c}.local")  # fmt: skip


def company_slug(rng: random.Random, split: str) -> str:
    """A fictitious company slug for domains (``kelvoran``, ``brightwater``); split-partitioned."""
    if rng.random() < 0.4:
        return rng.choice(split_pool(_STEMS, split)).lower().replace("è", "e").replace("é", "e")
    while True:
        slug = "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 3)))
        if in_split(slug, split):
            return slug + rng.choice(["", "", "-dyn", "tech", "-group", "soft"])


def internal_host(rng: random.Random, split: str, slug: str | None = None) -> str:
    """An internal hostname: ``vault.corp.acme.net``, ``build-07.acme.local``..."""
    slug = slug or company_slug(rng, split)
    svc = rng.choice(_SERVICES)
    if rng.random() < 0.4:
        svc += (
            f"-{rng.randint(1, 40):02d}"
            if rng.random() < 0.7
            else rng.choice(["-prod", "-eu", "-01a", "-staging"])
        )
    return f"{svc}.{rng.choice(_INTERNAL_SUFFIXES).format(c=slug)}"


def internal_ip(rng: random.Random, cidr: bool = False) -> str:
    """A private IPv4 address (RFC 1918), optionally as a CIDR block inside the same private range."""
    kind = rng.random()
    if kind < 0.5:
        octets, min_bits = [10, rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)], 8
    elif kind < 0.75:
        octets, min_bits = [172, rng.randint(16, 31), rng.randint(0, 255), rng.randint(1, 254)], 12
    else:
        octets, min_bits = [192, 168, rng.randint(0, 255), rng.randint(1, 254)], 16
    address = ".".join(map(str, octets))
    if cidr:
        bits = rng.choice([b for b in (8, 12, 16, 16, 20, 22, 24, 24, 24, 26, 28) if b >= min_bits])
        return str(ipaddress.ip_network(f"{address}/{bits}", strict=False))
    return address


_URL_PATHS = ("/display/ENG/Release+Plan", "/browse/FIN-2231", "/api/v2/customers", "/dashboards/d/ops-main",
              "/secret/data/prod/db", "/job/deploy-prod/lastBuild/console", "/repo/platform/-/merge_requests/88",
              "/hr/payroll/2026-11", "/pages/viewpage.action?pageId=48213", "/app/kibana#/discover", "/health",
              "/metrics", "/admin/", "/v1/orders?limit=50", "/share/finance/Q3-forecast.xlsx", "/", "/login",
              "/graphql", "/ui/#/builds/1834", "/sites/legal/Shared%20Documents")  # fmt: skip


def internal_url(rng: random.Random, split: str) -> str:
    """An intranet URL (scheme included) on an internal host or private IP."""
    host = internal_host(rng, split) if rng.random() < 0.75 else internal_ip(rng)
    port = (
        f":{rng.choice([8080, 8443, 3000, 5601, 9090, 8200, 9200, 5000, 8000])}"
        if rng.random() < 0.35
        else ""
    )
    scheme = "https" if rng.random() < 0.7 else "http"
    return f"{scheme}://{host}{port}{rng.choice(_URL_PATHS)}"


# Public software, services and file formats: capitalised names in technical prose that are never a
# CODENAME or CUSTOMER (some share a word with the code-name pools on purpose: Falcon, Swift, Aurora).
PUBLIC_SOFTWARE: tuple[str, ...] = (
    "Kafka", "Redis", "PostgreSQL", "MySQL", "SQLite", "MongoDB", "Cassandra", "ClickHouse", "Elasticsearch",
    "OpenSearch", "Kibana", "Logstash", "Fluentd", "Grafana", "Prometheus", "Loki", "Jaeger", "OpenTelemetry",
    "Terraform", "Ansible", "Puppet", "Chef", "Jenkins", "GitHub Actions", "GitLab CI", "Argo CD", "Flux",
    "Helm", "Kubernetes", "Docker", "Podman", "Nginx", "Traefik", "Envoy", "Istio", "Consul", "Keycloak",
    "Airflow", "Spark", "Flink", "Hadoop", "Trino", "Snowflake", "Databricks", "BigQuery", "dbt", "Tableau",
    "Looker", "Power BI", "Excel", "Django", "Flask", "FastAPI", "Falcon", "Phoenix", "Rails", "Laravel",
    "Symfony", "Spring Boot", "Quarkus", "Hibernate", "React", "Vue", "Svelte", "Angular", "Next.js", "Nuxt",
    "Tailwind", "Bootstrap", "Vite", "Webpack", "Babel", "ESLint", "Prettier", "Jest", "Vitest", "pytest",
    "Playwright", "Selenium", "Cypress", "Storybook", "Electron", "Flutter", "Swift", "Kotlin", "Rust", "Go",
    "Elixir", "TypeScript", "Pandas", "NumPy", "Polars", "PyTorch", "TensorFlow", "scikit-learn", "Jupyter",
    "Streamlit", "Gradio", "LangChain", "LlamaIndex", "Ollama", "Celery", "RabbitMQ", "Mongoose", "Sequelize",
    "Prisma", "Maven", "Gradle", "Bazel", "CMake", "Homebrew", "Poetry", "Jira", "Confluence", "Slack",
    "Notion", "Figma", "Miro", "Zoom", "Teams", "Outlook", "Salesforce", "HubSpot", "Zendesk", "Sentry",
    "Datadog", "PagerDuty", "Postman", "Swagger", "GraphQL", "gRPC", "Protobuf", "Parquet", "Avro", "Markdown",
    "LaTeX", "Pandoc", "Hugo", "Jekyll", "Pelican", "VS Code", "IntelliJ", "PyCharm", "Vim", "Emacs",
    "Cloudflare", "Vercel", "Netlify", "Heroku", "AWS Lambda", "Amazon S3", "Aurora", "Azure DevOps",
    "Cloud Run", "Firebase", "Supabase", "Stripe", "Twilio", "SendGrid", "ChatGPT", "Copilot", "Gemini",
    "Whisper", "Stable Diffusion", "WordPress", "Shopify", "Magento", "Odoo", "SAP S/4HANA", "Keynote",
)  # fmt: skip

PUBLIC_EVENTS: dict[str, tuple[str, ...]] = {
    "en": ("KubeCon", "PyCon", "re:Invent", "Google I/O", "WWDC", "CES", "Black Friday", "Cyber Monday",
           "Hacktoberfest", "FOSDEM", "Web Summit", "DEF CON", "Advent of Code", "Prime Day", "Super Bowl"),
    "de": ("re:publica", "IFA", "Hannover Messe", "Gamescom", "Oktoberfest", "Black Friday", "KubeCon Europe",
           "Chaos Communication Congress", "Tag der offenen Tür", "Weihnachtsmarkt"),
    "fr": ("VivaTech", "Salon de l'Agriculture", "Fête de la Musique", "Black Friday", "Devoxx France",
           "Roland-Garros", "Tour de France", "Journées du Patrimoine", "Paris Games Week"),
    "ja": ("ゴールデンウィーク", "お盆", "東京ゲームショウ", "CEATEC", "コミケ", "年末年始", "PyCon JP", "AWS Summit Tokyo"),
    "zh": ("双十一", "618", "春节", "国庆黄金周", "世界人工智能大会", "进博会", "KubeCon China", "中秋节"),
}  # fmt: skip

#: Documentation stand-ins for a password in five languages (never a SECRET).
PASSWORD_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("PASSWORD", "<password>", "your-password", "YOUR_PASSWORD_HERE", "********", "xxxxxx", "[redacted]"),
    "de": ("PASSWORT", "<Passwort>", "IhrPasswort", "DEIN_PASSWORT", "********", "xxxxxx", "[entfernt]"),
    "fr": ("MOT_DE_PASSE", "<mot-de-passe>", "votre_mot_de_passe", "********", "xxxxxx", "[masqué]"),
    "ja": ("パスワード", "<パスワード>", "********", "xxxxxx", "（伏せ字）"),
    "zh": ("密码", "<密码>", "你的密码", "********", "xxxxxx", "（已隐藏）"),
}  # fmt: skip

#: Public universities, research institutes and agencies: organisations in a text that are not customers.
PUBLIC_INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "en": ("MIT", "Stanford University", "the University of Cambridge", "Imperial College London", "NASA",
           "the Mozilla Foundation", "the Linux Foundation", "Carnegie Mellon University", "NIST", "the WHO"),
    "de": ("TU München", "ETH Zürich", "der Universität Heidelberg", "dem Fraunhofer-Institut", "der Charité",
           "dem Max-Planck-Institut", "dem BSI", "der RWTH Aachen", "dem Bundesamt für Statistik"),
    "fr": ("la Sorbonne", "l'École polytechnique", "l'Inria", "le CNRS", "l'Université de Lyon", "l'ANSSI",
           "l'Insee", "Sciences Po"),
    "ja": ("東京大学", "京都大学", "理化学研究所", "産業技術総合研究所", "大阪大学", "情報処理推進機構"),
    "zh": ("清华大学", "北京大学", "中国科学院", "复旦大学", "浙江大学", "国家统计局"),
}  # fmt: skip
