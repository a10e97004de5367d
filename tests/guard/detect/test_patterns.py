"""Pattern table: loading errors, every provider with a hit and a near miss, placeholders, offsets.

Fake credentials are generated from a seeded RNG so no real-looking secret sits in the source.
"""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest

from guard.detect.patterns import PatternDetector, load_patterns
from guard.errors import ConfigError
from guard.findings import Finding

_RNG = random.Random(20261122)
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "_-"


def r(n: int, alphabet: str = ALNUM) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(n))


def _jwt() -> str:
    return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0." + r(
        43, URLSAFE
    )  # gitleaks:allow


PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEow"
    + r(60, B64)
    + "\n"
    + r(64, B64)
    + "\n-----END RSA PRIVATE KEY-----"
)

# (pattern name, text, expected span or None for a near miss). The span is the substring that must be found.
HITS: list[tuple[str, str, str]] = [
    ("aws_access_key_id", "{}", "AKIA" + r(16, string.ascii_uppercase + "234567")),
    ("aws_secret_access_key", "aws_secret_access_key = {}", r(40, B64)),
    ("gcp_api_key", "key={}", "AIza" + r(35, URLSAFE)),
    (
        "gcp_service_account_key",
        '{{"private_key": "{}"}}',
        "-----BEGIN PRIVATE KEY-----\\nMIIE" + r(80, B64) + "\\n-----END PRIVATE KEY-----\\n",
    ),
    ("google_oauth_client_secret", "{}", "GOCSPX-" + r(28, URLSAFE)),
    ("google_oauth_access_token", "{}", "ya29." + r(60, URLSAFE)),
    (
        "azure_storage_connection_string",
        "{}",
        "DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey="
        + r(86, B64)
        + "==;EndpointSuffix=core.windows.net",
    ),
    ("azure_storage_account_key", "AccountKey={};", r(86, B64) + "=="),
    ("azure_sas_token", "https://a.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig={}", r(44, ALNUM) + "%3D"),
    ("azure_ad_client_secret", "{}", r(3, ALNUM) + "8Q~" + r(34, ALNUM)),
    ("digitalocean_token", "{}", "dop_v1_" + r(64, HEX)),
    ("heroku_api_key", "{}", "HRKU-" + r(60, URLSAFE)),
    ("heroku_api_key_legacy", "HEROKU_API_KEY={}", "3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f"),
    ("databricks_token", "{}", "dapi" + r(32, HEX)),
    ("github_pat_classic", "{}", "ghp_" + r(36)),
    ("github_pat_fine_grained", "{}", "github_pat_" + r(22) + "_" + r(59)),
    ("github_oauth_token", "{}", "gho_" + r(36)),
    ("github_app_token", "{}", "ghs_" + r(36)),
    ("github_refresh_token", "{}", "ghr_" + r(76)),
    ("gitlab_pat", "{}", "glpat-" + r(20, URLSAFE)),
    ("gitlab_runner_token", "{}", "glrt-" + r(20, URLSAFE)),
    ("gitlab_deploy_token", "{}", "gldt-" + r(20, URLSAFE)),
    ("bitbucket_app_password", "{}", "ATBB" + r(32)),
    ("atlassian_api_token", "{}", "ATATT3" + r(180, URLSAFE)),
    ("npm_token", "{}", "npm_" + r(36)),
    ("pypi_token", "{}", "pypi-AgEIcHlwaS5vcmc" + r(60, URLSAFE)),
    ("dockerhub_pat", "{}", "dckr_pat_" + r(27, URLSAFE)),
    ("terraform_cloud_token", "{}", r(14) + ".atlasv1." + r(67, URLSAFE)),
    ("vault_token", "{}", "hvs." + r(90, URLSAFE)),
    ("doppler_token", "{}", "dp.st." + r(43)),
    ("postman_api_key", "{}", "PMAK-" + r(24, HEX) + "-" + r(34, HEX)),
    ("slack_bot_token", "{}", "xoxb-" + r(12, string.digits) + "-" + r(13, string.digits) + "-" + r(24)),
    ("slack_user_token", "{}", "xoxp-" + "-".join(r(12, string.digits) for _ in range(3)) + "-" + r(32, HEX)),
    (
        "slack_app_token",
        "{}",
        "xapp-1-A"
        + r(10, string.ascii_uppercase + string.digits)
        + "-"
        + r(13, string.digits)
        + "-"
        + r(64, HEX),
    ),
    (
        "slack_webhook",
        "{}",
        "https://hooks.slack.com/services/T"
        + r(10, string.ascii_uppercase)
        + "/B"
        + r(10, string.ascii_uppercase)
        + "/"
        + r(24),
    ),
    ("discord_bot_token", "{}", "M" + r(25, URLSAFE) + "." + r(6, URLSAFE) + "." + r(38, URLSAFE)),
    (
        "discord_webhook",
        "{}",
        "https://discord.com/api/webhooks/" + r(18, string.digits) + "/" + r(68, URLSAFE),
    ),
    ("telegram_bot_token", "bot {}", r(10, string.digits) + ":AA" + r(33, URLSAFE)),
    ("linear_api_key", "{}", "lin_api_" + r(40)),
    ("notion_token", "{}", "ntn_" + r(46)),
    ("airtable_pat", "{}", "pat" + r(14) + "." + r(64, HEX)),
    ("okta_api_token", "Authorization: SSWS {}", "00" + r(40, URLSAFE)),
    ("stripe_live_secret_key", "{}", "sk_live_" + r(24)),
    ("stripe_test_secret_key", "{}", "sk_test_" + r(24)),
    ("stripe_webhook_secret", "{}", "whsec_" + r(32)),
    ("square_access_token", "{}", "EAAA" + r(60, URLSAFE)),
    ("square_oauth_secret", "{}", "sq0csp-" + r(43, URLSAFE)),
    (
        "braintree_access_token",
        "{}",
        "access_token$production$" + r(16, string.ascii_lowercase + string.digits) + "$" + r(32, HEX),
    ),
    ("shopify_token", "{}", "shpat_" + r(32, HEX)),
    ("twilio_api_key", "TWILIO_API_KEY={}", "SK" + r(32, HEX)),
    ("sendgrid_api_key", "{}", "SG." + r(22, URLSAFE) + "." + r(43, URLSAFE)),
    ("mailgun_api_key", "{}", "key-" + r(32, HEX)),
    ("mailchimp_api_key", "{}", r(32, HEX) + "-us14"),
    ("datadog_api_key", "DD_API_KEY={}", r(32, HEX)),
    ("new_relic_key", "{}", "NRAK-" + r(27, string.ascii_uppercase + string.digits)),
    ("sentry_dsn", "https://{}@o123456.ingest.sentry.io/4504", r(32, HEX)),
    ("sentry_auth_token", "{}", "sntryu_" + r(64, HEX)),
    ("openai_api_key", "{}", "sk-proj-" + r(120, URLSAFE)),
    ("anthropic_api_key", "{}", "sk-ant-api03-" + r(95, URLSAFE)),
    ("huggingface_token", "{}", "hf_" + r(34)),
    ("cohere_api_key", "COHERE_API_KEY={}", r(40)),
    ("alibaba_access_key_id", "{}", "LTAI" + r(20)),
    ("cloudflare_origin_ca_key", "{}", "v1.0-" + r(24, HEX) + "-" + r(146, HEX)),
    ("cloudflare_api_token", "CLOUDFLARE_API_TOKEN={}", r(40, URLSAFE)),
    ("flyio_token", "FlyV1 {}", "fm2_" + r(180, B64) + ",fm2_" + r(60, B64)),
    ("netlify_token", "{}", "nfp_" + r(36)),
    ("scaleway_access_key", "{}", "SCW" + r(17, string.ascii_uppercase + string.digits)),
    ("planetscale_token", "{}", "pscale_tkn_" + r(43, URLSAFE)),
    ("supabase_token", "{}", "sbp_" + r(40, HEX)),
    ("pulumi_token", "{}", "pul-" + r(40, HEX)),
    ("age_secret_key", "{}", "AGE-SECRET-KEY-1" + r(58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L")),
    ("onepassword_service_account_token", "{}", "ops_eyJ" + r(300, B64)),
    (
        "onepassword_secret_key",
        "{}",
        "A3-" + "-".join(r(n, string.ascii_uppercase + string.digits) for n in (6, 11, 5, 5, 5)),
    ),
    ("infracost_api_key", "{}", "ico-" + r(32)),
    ("octopus_deploy_api_key", "{}", "API-" + r(26, string.ascii_uppercase + string.digits)),
    ("prefect_api_key", "{}", "pnu_" + r(36)),
    ("azure_devops_pat", "AZURE_DEVOPS_EXT_PAT={}", r(52, "abcdefghijklmnopqrstuvwxyz234567")),
    ("gitlab_other_token", "{}", "glptt-" + r(40, HEX)),
    ("rubygems_api_key", "{}", "rubygems_" + r(48, HEX)),
    ("clojars_token", "{}", "CLOJARS_" + r(60, string.ascii_lowercase + string.digits)),
    ("nuget_api_key", "{}", "oy2" + r(43, string.ascii_lowercase + string.digits)),
    ("artifactory_token", "{}", "AKCp" + r(69)),
    ("sonarqube_token", "{}", "squ_" + r(40, HEX)),
    ("circleci_token", "{}", "CCIPAT_" + r(22) + "_" + r(40, HEX)),
    ("buildkite_token", "{}", "bkua_" + r(40, HEX)),
    ("harness_pat", "{}", "pat." + r(22, URLSAFE) + "." + r(24, HEX) + "." + r(20)),
    ("readme_api_key", "{}", "rdme_" + r(70, string.ascii_lowercase + string.digits)),
    ("bundler_credentials", "BUNDLE_ENTERPRISE__CONTRIBSYS__COM={}", r(8, HEX) + ":" + r(8, HEX)),
    ("asana_pat", "{}", "2/" + r(16, string.digits) + "/" + r(16, string.digits) + ":" + r(32, HEX)),
    ("dropbox_token", "{}", "sl." + r(140, URLSAFE)),
    ("figma_pat", "{}", "figd_" + r(40, URLSAFE)),
    ("intercom_token", "{}", "dG9rO" + r(55) + "="),
    ("hubspot_pat", "{}", "pat-na1-" + "-".join(r(n, HEX) for n in (8, 4, 4, 4, 12))),
    ("brevo_api_key", "{}", "xkeysib-" + r(64, HEX) + "-" + r(16)),
    ("typeform_token", "{}", "tfp_" + r(59, URLSAFE)),
    ("frameio_token", "{}", "fio-u-" + r(64, URLSAFE)),
    ("adobe_client_secret", "{}", "p8e-" + r(32)),
    ("mapbox_secret_token", "{}", "sk.eyJ1Ijoi" + r(40, URLSAFE) + "." + r(22, URLSAFE)),
    ("posthog_personal_key", "{}", "phx_" + r(43)),
    ("segment_token", "{}", "sgp_" + r(64)),
    ("grafana_token", "{}", "glsa_" + r(32) + "_" + r(8, HEX)),
    (
        "dynatrace_token",
        "{}",
        "dt0c01."
        + r(24, string.ascii_uppercase + string.digits)
        + "."
        + r(64, string.ascii_uppercase + string.digits),
    ),
    ("plaid_access_token", "{}", "access-production-" + "-".join(r(n, HEX) for n in (8, 4, 4, 4, 12))),
    ("flutterwave_secret_key", "{}", "FLWSECK-" + r(32, "abcdefgh0123456789") + "-X"),
    ("easypost_api_key", "{}", "EZAK" + r(54)),
    ("duffel_token", "{}", "duffel_live_" + r(43, URLSAFE)),
    ("shippo_token", "{}", "shippo_live_" + r(40, HEX)),
    ("groq_api_key", "{}", "gsk_" + r(52)),
    ("perplexity_api_key", "{}", "pplx-" + r(48)),
    ("replicate_token", "{}", "r8_" + r(37)),
    ("xai_api_key", "{}", "xai-" + r(80)),
    ("langsmith_api_key", "{}", "lsv2_pt_" + r(32, HEX) + "_" + r(10, HEX)),
    ("pinecone_api_key", "{}", "pcsk_" + r(70)),
    ("huggingface_org_token", "{}", "api_org_" + r(34)),
    (
        "docker_config_auth",
        '{{"auths": {{"registry.acme.io": {{"auth": "{}"}}}}}}',
        "ZGVwbG95OnMzY3IzdC1wYXNz",
    ),
    ("npmrc_auth", "//npm.acme.io/:_authToken={}", r(40, URLSAFE)),
    ("netrc_password", "machine git.acme.io login deploy password {}", "Tr0ub4dor&3x"),
    ("nuget_cleartext_password", '<add key="ClearTextPassword" value="{}" />', "N!uGet-" + r(8)),
    ("xml_key_value_secret", '<add key="Smtp.Password" value="{}" />', "M@il-" + r(10)),
    ("password_assignment_line", "db_pass: {}\n", "m{{h}o)p${e]nob(ody"),
    ("adafruit_api_key", "adafruit = {}", r(32, string.ascii_lowercase + string.digits)),
    ("algolia_admin_key", "algolia = {}", r(32, HEX)),
    ("beamer_api_token", "beamer = {}", "b_" + r(44, URLSAFE)),
    ("bittrex_key", "bittrex = {}", r(32, string.ascii_lowercase + string.digits)),
    ("codecov_token", "codecov = {}", r(32, HEX)),
    ("coinbase_key", "coinbase = {}", r(64, URLSAFE)),
    ("confluent_secret", "confluent = {}", r(64, ALNUM)),
    ("contentful_token", "contentful = {}", r(43, URLSAFE)),
    ("droneci_token", "drone_token = {}", r(32)),
    ("etsy_key", "etsy = {}", r(24, string.ascii_lowercase + string.digits)),
    ("facebook_app_secret", "facebook = {}", r(32, HEX)),
    ("fastly_api_token", "fastly = {}", r(32, URLSAFE)),
    ("finicity_secret", "finicity = {}", r(20)),
    ("finnhub_token", "finnhub = {}", r(20, string.ascii_lowercase + string.digits)),
    ("flickr_key", "flickr = {}", r(32, string.ascii_lowercase + string.digits)),
    ("freshbooks_token", "freshbooks = {}", r(64, string.ascii_lowercase + string.digits)),
    ("gocardless_token", "gocardless = {}", "live_" + r(40, URLSAFE)),
    ("kraken_key", "kraken = {}", r(88, B64)),
    ("kucoin_key", "kucoin = {}", r(24, HEX)),
    ("launchdarkly_token", "launchdarkly = {}", r(40, URLSAFE)),
    ("linkedin_client_secret", "linkedin = {}", r(16)),
    ("lob_api_key", "lob_ = {}", "live_" + r(35, HEX)),
    ("mattermost_token", "mattermost = {}", r(26, string.ascii_lowercase + string.digits)),
    ("messagebird_key", "messagebird = {}", r(25)),
    ("nytimes_key", "nytimes = {}", r(32, URLSAFE)),
    ("rapidapi_key", "rapidapi = {}", r(50, URLSAFE)),
    ("sendbird_token", "sendbird = {}", r(40, HEX)),
    ("snyk_token", "snyk = {}", "-".join(r(n, HEX) for n in (8, 4, 4, 4, 12))),
    ("squarespace_token", "squarespace = {}", "-".join(r(n, HEX) for n in (8, 4, 4, 4, 12))),
    ("sumologic_key", "sumo_access = {}", r(64)),
    ("travisci_token", "travis = {}", r(22, URLSAFE)),
    ("trello_key", "trello = {}", r(32)),
    ("twitch_token", "twitch = {}", r(30, string.ascii_lowercase + string.digits)),
    ("twitter_secret", "twitter = {}", r(50)),
    ("yandex_key", "yandex = {}", "AQVN" + r(36, URLSAFE)),
    ("zendesk_token", "zendesk = {}", r(40)),
    ("mailjet_key", "mailjet = {}", r(32, HEX)),
    ("pagerduty_token", "pagerduty = {}", r(20, ALNUM)),
    ("vercel_token", "vercel = {}", r(24)),
    ("auth0_client_secret", "auth0 = {}", r(64, URLSAFE)),
    ("circleci_legacy_token", "circleci = {}", r(40, HEX)),
    ("bitbucket_client_secret", "bitbucket = {}", r(64, URLSAFE)),
    ("gitter_token", "gitter = {}", r(40, URLSAFE)),
    ("discord_client_secret", "discord = {}", r(32, URLSAFE)),
    ("hetzner_token", "hetzner = {}", r(64)),
    ("linode_token", "linode = {}", r(64, HEX)),
    ("mistral_api_key", "mistral = {}", r(32)),
    ("scalingo_token", "{}", "tk-us-" + r(48, URLSAFE)),
    (
        "teams_webhook",
        "{}",
        "https://acme.webhook.office.com/webhookb2/"
        + "-".join(r(n, HEX) for n in (8, 4, 4, 4, 12))
        + "@"
        + "-".join(r(n, HEX) for n in (8, 4, 4, 4, 12))
        + "/IncomingWebhook/"
        + r(32, HEX)
        + "/"
        + "-".join(r(n, HEX) for n in (8, 4, 4, 4, 12)),
    ),
    (
        "putty_private_key",
        "{}",
        "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPublic-Lines: 2\n"
        + r(64, B64)
        + "\nPrivate-Lines: 1\n"
        + r(44, B64)
        + "\nPrivate-MAC: "
        + r(64, HEX),
    ),
    ("url_query_token", "https://api.acme.io/v1/items?page=2&api_key={}", r(32)),
    ("connection_string_password", "Server=db01;Database=app;Password={};", "saT8ICq9ky[_@FmzGqd"),
    ("jwt", "token {}", _jwt()),
    ("pem_private_key", "key:\n{}\n", PEM),
    # the span is the whole connection string (taxonomy), the password is what the rules check
    ("credential_uri", "DATABASE_URL={}\n", "postgres://admin:Pa55-" + r(10) + "@db.acme.io:5432/app"),
    ("authorization_basic", "Authorization: Basic {}", "dXNlcjpzM2NyM3QtcGFzcw=="),
    ("authorization_bearer", "-H 'Authorization: Bearer {}'", r(40, URLSAFE)),
    ("password_assignment_quoted", 'db_password: "{}"', "S3cr3t!pw"),
    ("password_assignment_bare", "PASSWORD={}", "hunter22x"),
    ("credit_card", "card {} exp 12/29", "4111 1111 1111 1111"),
    ("iban", "IBAN: {}.", "DE89 3704 0044 0532 0130 00"),
    ("aba_routing", "routing number {}", "021000021"),
    ("email", "write to {}", "jane.doe@acme.de"),
    ("phone_e164", "call {}", "+49 89 1234567"),
    ("phone_us", "phone: {}", "(415) 555-0132"),
    ("phone_de", "Tel. {}", "089/12345678"),
    ("phone_fr", "tél {}", "06 12 34 56 78"),
    ("phone_jp", "電話 {}", "03-1234-5678"),
    ("phone_cn_mobile", "手机{}", "13812345678"),
    ("private_ipv4", "host {}", "192.168.10.20"),
    ("private_ipv6", "addr {}", "fd12:3456:789a::1"),
    ("us_ssn", "SSN {}", "536-90-4399"),
    ("us_ssn_bare", "social security number {}", "536904399"),
    ("de_steuer_id", "Steuer-IdNr. {}", "86095742719"),
    ("de_id_card", "Personalausweis {}", "T220001293"),
    ("de_sv_nummer", "SV-Nr {}", "65170839J003"),
    ("fr_nir", "NIR {}", "2 55 08 14 168 025 38"),
    ("jp_my_number", "マイナンバー {}", "1234 5678 9018"),
    ("cn_resident_id", "身份证号{}", "11010519491231002X"),
    ("uk_nino", "NI number {}", "AB 12 34 56 C"),
    ("nl_bsn", "BSN {}", "111222333"),
    ("es_dni", "DNI {}", "12345678Z"),
    ("authress_access_key", "{}", "sc_" + r(10).lower() + ".ab12c.acc_" + r(16, HEX) + "." + r(48, B64)),
    ("defined_networking_token", "{}", "dnkey-" + r(26, HEX) + "-" + r(52, HEX)),
    ("intra42_client_secret", "{}", "s-s4t2ud-" + r(64, HEX)),
    ("maxmind_license_key", "{}", r(6) + "_" + r(29) + "_mmk"),
    ("openshift_user_token", "oc login --token={}", "sha256~" + r(43, URLSAFE)),
    ("settlemint_token", "{}", "sm_pat_" + r(16)),
    ("sourcegraph_access_token", "{}", "sgp_" + r(16, HEX) + "_" + r(40, HEX)),
    ("nvidia_api_key", "{}", "nvapi-" + r(64, URLSAFE)),
    ("tencent_secret_id", "SecretId: {}", "AKID" + r(32)),
    ("contentful_personal_token", "{}", "CFPAT-" + r(43, URLSAFE)),
    ("curl_user_password", "curl -s -u deploy:{} https://ci.example/api", "Tr0ub4dor&3x"),
    ("clickhouse_cloud_key", "CLICKHOUSE_KEY={}", "4b1d" + r(38)),
    ("meraki_api_key", "MERAKI_DASHBOARD_API_KEY={}", r(40, HEX)),
    ("looker_client_secret", "looker client_secret: {}", r(24)),
    ("privateai_api_key", "PRIVATEAI_API_KEY={}", r(32, HEX)),
    ("freemius_secret_key", "'secret_key' => '{}',", "sk_" + r(29)),
]

NEAR_MISSES: list[tuple[str, str]] = [
    ("aws_access_key_id", "AKIA" + "1" * 15),  # too short, digits outside base32
    ("aws_access_key_id", "AKIAIOSFODNN7EXAMPLE"),  # the documentation key
    ("aws_secret_access_key", r(40, B64)),  # no AWS context
    ("github_pat_classic", "ghp_" + r(20)),
    ("github_pat_classic", "xghp_" + r(36)),  # glued to a word
    ("gitlab_pat", "glpat-short"),
    ("slack_bot_token", "xoxb-123-456-abc"),
    ("stripe_test_secret_key", "sk_test_" + "x" * 24),  # placeholder
    ("stripe_live_secret_key", "sk_live_" + "0" * 24),  # repeated characters
    ("openai_api_key", "sk-" + r(10)),
    ("huggingface_token", "hf_" + r(10)),
    ("twilio_api_key", "SK" + r(32, HEX)),  # no Twilio context
    ("datadog_api_key", r(32, HEX)),  # an MD5-like hash without context
    ("jwt", "eyJub3RoaW5nIjoxfQ.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijk"),
    ("credential_uri", "https://github.com/org/repo"),
    ("credential_uri", "postgres://admin:${DB_PASSWORD}@db:5432/app"),
    ("password_assignment_bare", "password = user_password"),
    ("password_assignment_bare", "PASSWORD=changeme"),
    ("password_assignment_bare", "Passwort: PASSWORT"),  # localized documentation stand-ins
    ("password_assignment_bare", "mot de passe : MOT_DE_PASSE"),
    ("password_assignment_bare", "パスワード：パスワード"),
    ("password_assignment_quoted", 'password: "<password>"'),
    ("password_assignment_quoted", 'password: "YOUR_API_KEY"'),
    ("password_assignment_quoted", 'api_key: "********"'),
    ("password_assignment_bare", "token_type: bearer"),
    # placeholders and public material (issue 22)
    ("slack_bot_token", "xoxb-" + "1" * 12 + "-" + "2" * 12 + "-" + "x" * 24),
    ("gcp_api_key", "AIza" + "a" * 35),
    ("password_assignment_quoted", 'password: "aaaa1111bbbb2222"'),
    ("password_assignment_quoted", 'secret: "sk_abcdefghijklmnopqrstuvwxyz123"'),
    ("password_assignment_quoted", 'publishable_key: "pk_live_' + r(24) + '"'),
    ("password_assignment_quoted", 'token: "sha512-' + r(86, B64) + '=="'),
    ("password_assignment_line", "password: ENC[AES256_GCM,data:" + r(20, B64) + ",type:str]"),
    ("password_assignment_line", "token_url: https://auth.acme.io/oauth/token"),
    ("password_assignment_line", "password: YmFyCg=="),  # base64 of "bar"
    ("password_assignment_line", "password: cGFzc3dvcmQ="),  # base64 of "password"
    ("password_assignment_line", "bypass_list: localhost,127.0.0.1"),
    ("password_assignment_line", "password: must be at least 8 characters"),
    ("password_assignment_line", "csrf_token: {{ csrf_token() }}"),
    (
        "pem_private_key",
        "-----BEGIN PRIVATE KEY-----\nanything goes here, nothing else\n-----END PRIVATE KEY-----",
    ),
    ("docker_config_auth", '"auth": "bm90IGEgY3JlZGVudGlhbA=="'),  # "not a credential": no user:password
    ("password_assignment_line", "    token = _get_token_from_file()\n"),
    ("password_assignment_bare", "SECRET_KEY = settings.DJANGO_SECRET_KEY"),
    ("credit_card", "order 4111 1111 1111 1112"),
    ("iban", "DE89370400440532013001"),
    ("email", "user@example.com"),
    ("private_ipv4", "8.8.8.8"),
    ("private_ipv4", "version 10.0.0.256"),
    ("us_ssn", "000-12-3456"),
    ("us_ssn_bare", "536904399"),  # bare nine digits need SSN context
    ("de_steuer_id", "12345678903"),
    ("cn_resident_id", "110105194912310021"),
    ("uk_nino", "QQ123456C"),
    ("phone_cn_mobile", "12345678901"),
    ("curl_user_password", "curl -u deploy:$CI_TOKEN https://ci.example/api"),  # a variable, not the value
    ("curl_user_password", "curl https://example.org/users"),
    ("meraki_api_key", "commit " + r(40, HEX)),  # a SHA without Meraki nearby
    ("tencent_secret_id", "AKID" + "a" * 32),  # filler
    ("openshift_user_token", "sha256~short"),
]


@pytest.fixture(scope="module")
def detector() -> PatternDetector:
    return PatternDetector()


def test_table_loads_with_40_plus_providers() -> None:
    table = load_patterns()
    assert len(table.providers) >= 40
    assert {p.name for p in table.patterns} == {name for name, _, _ in HITS}, "every pattern has a hit case"


@pytest.mark.parametrize(("name", "template", "value"), HITS, ids=[h[0] for h in HITS])
def test_hit(detector: PatternDetector, name: str, template: str, value: str) -> None:
    text = template.format(value)
    start = text.index(value)
    hits = [f for f in detector.detect(text) if f.metadata["pattern"] == name]
    assert [(f.start, f.end) for f in hits] == [(start, start + len(value))]
    assert 0.0 < hits[0].score <= 1.0


@pytest.mark.parametrize(
    ("name", "text"), NEAR_MISSES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(NEAR_MISSES)]
)
def test_near_miss(detector: PatternDetector, name: str, text: str) -> None:
    assert [f for f in detector.detect(text) if f.metadata["pattern"] == name] == []


@pytest.mark.parametrize(
    "prefix",
    [
        "密钥：",
        "我的令牌是",
        "トークンは",
        "🔑🔑 ",
        "e\u0301e\u0301 ",
        "line one\r\nline two\r\n",
        "👩‍👩‍👧 家族 ",
    ],
)
def test_offsets_exact_after_cjk_emoji_combining_crlf(detector: PatternDetector, prefix: str) -> None:
    key = "ghp_" + r(36)
    card = "4111 1111 1111 1111"
    text = f"{prefix}{key}\r\n{prefix}卡号{card}。"
    found = {f.label: f for f in detector.detect(text)}
    assert text[found["SECRET"].start : found["SECRET"].end] == key
    assert text[found["CREDIT_CARD"].start : found["CREDIT_CARD"].end] == card


def test_metadata_never_holds_the_value(detector: PatternDetector) -> None:
    key = "ghp_" + r(36)
    (f,) = detector.detect(f"token {key}")
    assert key not in repr(dict(f.metadata))
    assert f.metadata["provider"] == "github" and f.metadata["kind"] == "github_token"


def test_empty_text(detector: PatternDetector) -> None:
    assert detector.detect("") == []


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "patterns.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = "{name: t, label: SECRET, kind: k, regex: 'abc', score: 0.5}"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{name: bad_re, label: SECRET, kind: k, regex: '(unclosed', score: 0.5}",
            "bad_re): regex does not compile",
        ),
        ("{name: bad_label, label: PASSWORD, kind: k, regex: 'a', score: 0.5}", "unknown label 'PASSWORD'"),
        ("{name: bad_score, label: SECRET, kind: k, regex: 'a', score: 1.5}", "(bad_score).score"),
        (
            "{name: bad_val, label: SECRET, kind: k, regex: 'a', score: 0.5, validator: nope}",
            "unknown validator 'nope'",
        ),
        (
            "{name: bad_sum, label: SECRET, kind: k, regex: 'a', score: 0.5, checksum: md5}",
            "unknown checksum 'md5'",
        ),
        ("{name: extra, label: SECRET, kind: k, regex: 'a', score: 0.5, colour: red}", "(extra).colour"),
        ("{name: mac, label: SECRET, kind: k, regex: '{ZZ}a', score: 0.5}", "unknown macro {ZZ}"),
        (GOOD, "duplicate pattern name"),
    ],
)
def test_bad_table_names_the_entry(tmp_path: Path, entry: str, message: str) -> None:
    path = _write(tmp_path, f"patterns:\n  - {GOOD}\n  - {entry}\n")
    with pytest.raises(ConfigError) as err:
        load_patterns(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("patterns: [", "cannot read pattern table"),
        ("- a\n- b\n", "must be a mapping"),
        ("patterns: []\n", "patterns"),
    ],
)
def test_bad_table_file(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match="pattern") as err:
        load_patterns(_write(tmp_path, body))
    assert message in str(err.value)


def test_missing_table(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_patterns(tmp_path / "nope.yaml")


def test_only_rejects_unknown_names() -> None:
    with pytest.raises(ValueError, match="unknown pattern names"):
        PatternDetector(only=["no_such_pattern"])


@pytest.mark.timeout(20)
def test_pem_keys_are_found_in_linear_time_on_unterminated_blocks() -> None:
    import base64
    import os

    detector = PatternDetector()
    # issue 18: 400 kB of BEGIN lines without END took 33 s (each BEGIN scanned to the end of the text)
    assert detector.detect("-----BEGIN PRIVATE KEY-----\n" * 15000) == []
    body = base64.b64encode(os.urandom(1200)).decode()
    key = "-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----"
    found = detector.detect("-----BEGIN PRIVATE KEY-----\n(stray line)\n" + key)
    assert [(f.label, f.start) for f in found] == [
        ("SECRET", len("-----BEGIN PRIVATE KEY-----\n(stray line)\n"))
    ]


def _with_checksum(prefix: str, body: str) -> str:
    """``prefix`` + ``body`` (30 base62) + the CRC32 of ``body`` in six base62 digits (0-9A-Za-z)."""
    import zlib

    digits = string.digits + string.ascii_uppercase + string.ascii_lowercase
    n, out = zlib.crc32(body.encode()), ""
    for _ in range(6):
        n, d = divmod(n, 62)
        out = digits[d] + out
    return prefix + body + out


@pytest.mark.parametrize(("prefix", "name"), [("ghp_", "github_pat_classic"), ("npm_", "npm_token")])
def test_a_token_with_its_issuer_checksum_is_marked_valid(
    detector: PatternDetector, prefix: str, name: str
) -> None:
    token = _with_checksum(prefix, "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1")
    (hit,) = [f for f in detector.detect(f"token: {token}") if f.metadata["pattern"] == name]
    assert hit.metadata["checksum"] == "valid"
    assert hit.score >= 0.995


def test_a_token_whose_checksum_fails_is_still_found_without_the_mark(detector: PatternDetector) -> None:
    token = _with_checksum("ghp_", "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1")
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    (hit,) = [f for f in detector.detect(f"token: {wrong}") if f.metadata["pattern"] == "github_pat_classic"]
    assert "checksum" not in hit.metadata
    assert hit.score == 0.98


def _pypi_token(caveats: list[bytes], signature: bytes = b"\x5a" * 32) -> str:
    """A PyPI API token: ``pypi-`` + a version-2 macaroon (each field: type, length, bytes)."""
    import base64

    def field(kind: int, data: bytes) -> bytes:
        return bytes([kind, len(data)]) + data

    raw = b"\x02" + field(1, b"pypi.org") + field(2, b"user:7f3a9c21-token") + b"\x00"
    for caveat in caveats:
        raw += field(2, caveat) + b"\x00"
    raw += b"\x00" + field(6, signature)
    return "pypi-" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_a_whole_pypi_macaroon_is_marked_valid_and_a_cut_or_forged_one_is_not(
    detector: PatternDetector,
) -> None:
    token = _pypi_token([b'{"version": 1, "permissions": "user"}', b'{"nbf": 1700000000}'])
    assert token.startswith("pypi-AgEIcHlwaS5vcmc")

    def hit(text: str) -> Finding:
        (found,) = [f for f in detector.detect(text) if f.metadata["pattern"] == "pypi_token"]
        return found

    assert hit(f"password = {token}").metadata["checksum"] == "valid"
    cut = token[:-8]  # a token copied short: still a leak, not a whole macaroon
    assert "checksum" not in hit(f"password = {cut}").metadata
    assert "checksum" not in hit(f"password = {_pypi_token([b'x'], signature=b'1' * 31)}").metadata
    made_up = "pypi-AgEIcHlwaS5vcmc" + "Qx7Lm2Np9Rt4Vw8Yz3Bc6Df1Gh5Jk0Mn2Pq7St4Uv9Wx3Yz8Ab1Cd6Ef0Gh5Ij"
    assert "checksum" not in hit(f"password = {made_up}").metadata


_PW = "Hx7" + r(9) + "-q"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a form body or query string: the value ends at the next "&name="
        (f"token={_PW}&user=ops", _PW),
        (f"username=bob&password={_PW}&remember=1", _PW),
        # a stray closing quote after an unquoted value is not part of it
        (f"export API_KEY={_PW}'\n", _PW),
        # a value written without a space before Japanese or Chinese text ends where that text starts
        (f"SECRET_KEY={_PW}あと、明日までにお願いします。", _PW),
        (f"密码：{_PW}，请不要外传。", _PW),
        # a URL with userinfo is reported whole, host, port, path and query included, and stops
        # before sentence punctuation, CJK text and closing brackets
        (f"see postgres://app:{_PW}@db-01.corp.internal:5432/billing.", f"postgres://app:{_PW}@db-01.corp.internal:5432/billing"),
        (f"(mongodb://u:{_PW}@h1:27017,h2:27017/db?replicaSet=rs0)", f"mongodb://u:{_PW}@h1:27017,h2:27017/db?replicaSet=rs0"),
        (f"连接串：redis://:{_PW}@cache-01.prod.local:6379/0，谢谢", f"redis://:{_PW}@cache-01.prod.local:6379/0"),
        (f"git clone https://ci:{_PW}@git.corp.example/team/api.git", f"https://ci:{_PW}@git.corp.example/team/api.git"),
    ],
)  # fmt: skip
def test_secret_values_end_where_the_value_ends(detector: PatternDetector, text: str, value: str) -> None:
    start = text.index(value)
    spans = {(f.start, f.end) for f in detector.detect(text) if f.label == "SECRET"}
    assert spans == {(start, start + len(value))}


def test_a_password_with_an_ampersand_keeps_it_when_no_field_follows(detector: PatternDetector) -> None:
    text = "password=Tr0ub4dor&3x\n"
    spans = {text[f.start : f.end] for f in detector.detect(text) if f.label == "SECRET"}
    assert "Tr0ub4dor&3x" in spans


def test_a_connection_string_with_a_placeholder_password_is_not_reported(detector: PatternDetector) -> None:
    for text in ("postgres://admin:${DB_PASSWORD}@db:5432/app", "mysql://root:<password>@localhost/app"):
        assert [f for f in detector.detect(text) if f.metadata["pattern"] == "credential_uri"] == []
