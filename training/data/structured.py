"""Templates of machine-ish text: config files, JSON, logs, stack traces, SQL, curl, code.

Slots written ``{?NAME}`` are *switchable*: a labeled value in a positive example and a placeholder
or documentation value (``${DB_PASSWORD}``, ``localhost``, ``user@example.com``) in a hard negative.
Keys and formats vary through alternations, so each template stands for many surface forms.
"""

# Natural-language template data: one sentence per line reads better than split strings.
# ruff: noqa: E501

from __future__ import annotations

__all__ = ["STRUCTURED"]

_PW_KEY = "{DB_PASSWORD|db_password|POSTGRES_PASSWORD|MYSQL_ROOT_PASSWORD|ADMIN_PASSWORD|SMTP_PASS|REDIS_PASSWORD|LDAP_BIND_PW}"
_TOKEN_KEY = "{API_KEY|OPENAI_API_KEY|STRIPE_SECRET_KEY|GITHUB_TOKEN|SLACK_BOT_TOKEN|SENDGRID_API_KEY|HF_TOKEN|NPM_TOKEN|GITLAB_TOKEN|ANTHROPIC_API_KEY|DATADOG_API_KEY|TWILIO_AUTH_TOKEN}"
_SECRET_KEY = "{SECRET_KEY|JWT_SECRET|SESSION_SECRET|ENCRYPTION_KEY|WEBHOOK_SECRET|APP_SECRET}"
_URL_KEY = "{DATABASE_URL|DB_URL|SQLALCHEMY_DATABASE_URI|MONGO_URI|REDIS_URL|CELERY_BROKER_URL}"
_HOST_KEY = "{DB_HOST|REDIS_HOST|KAFKA_BROKER|LDAP_SERVER|SMTP_HOST|ELASTIC_HOST|INTERNAL_API|VAULT_ADDR}"
_NEUTRAL = (
    "{LOG_LEVEL={info|debug|warn}|DEBUG={false|true|0}|PORT={8080|3000|8000}|WORKERS={n}|TIMEOUT={n}"
    "|REGION={eu-central-1|us-east-1|ap-northeast-1}|APP_VERSION={version}|TZ={UTC|Europe/Berlin|Asia/Tokyo}"
    "|FEATURE_NEW_UI=true|CACHE_TTL={num}}"
)

#: channel -> templates (multi-line strings). The channel name becomes the record's channel.
STRUCTURED: dict[str, list[str]] = {
    "config": [
        # .env
        f"{_NEUTRAL}\n{_URL_KEY}={{?DB_URI}}\n{_TOKEN_KEY}={{?TOKEN}}\n{_NEUTRAL}\n",
        f"# {{production|staging|local}} settings\n{_HOST_KEY}={{?HOST}}\n{_PW_KEY}={{?PASSWORD}}\n{_NEUTRAL}\n{_SECRET_KEY}={{?SECRET}}",
        f"export {_TOKEN_KEY}={{\"|'|}}{{?TOKEN}}{{\"|'|}}\nexport {_HOST_KEY}={{?HOSTPORT}}\n",
        "AWS_ACCESS_KEY_ID={?AWSKEY}\nAWS_SECRET_ACCESS_KEY={?AWSSECRET}\nAWS_DEFAULT_REGION={eu-west-1|us-east-1}\n",
        # yaml
        'database:\n  host: {?HOST}\n  port: {5432|3306}\n  user: {app|admin|svc}\n  password: "{?PASSWORD}"\nlogging:\n  level: {INFO|DEBUG}\n',
        "spring:\n  datasource:\n    url: {?JDBC}\n    username: {app|root}\n    password: {?PASSWORD}\n",
        "services:\n  api:\n    image: {?HOST}/api:{version}\n    environment:\n      - {_TOKEN_KEY}={?TOKEN}\n      - {_URL_KEY}={?DB_URI}\n".replace(
            "{_TOKEN_KEY}", _TOKEN_KEY
        ).replace("{_URL_KEY}", _URL_KEY),
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {app|db|api}-credentials\nstringData:\n  password: {?PASSWORD}\n  token: {?TOKEN}\n",
        "smtp:\n  server: {?HOST}\n  user: {?EMAIL}\n  pass: '{?PASSWORD}'\nnotify:\n  - {?EMAIL}\n",
        # json
        '{{\n  "{apiKey|api_key|token|accessToken}": "{?TOKEN}",\n  "endpoint": "{?URL}",\n  "timeout": {n},\n  "retries": {n}\n}}',
        '{{"db": {{"host": "{?IP}", "user": "{admin|app}", "password": "{?PASSWORD}"}}, "debug": {true|false}}}',
        '{{"type": "service_account", "project_id": "{prod|data}-{num}", "private_key_id": "{sha}", "client_email": "{?EMAIL}"}}',
        '{{\n  "type": "service_account",\n  "private_key_id": "{sha}",\n  "private_key": "{?PEM_JSON}\\n",\n  "client_email": "{?EMAIL}"\n}}',
        # ini / toml / properties
        "[{database|server|default}]\nhost = {?HOST}\nuser = {admin|app}\npassword = {?PASSWORD}\n\n[{cache|queue}]\nurl = {?DB_URI}\n",
        "[credentials]\naws_access_key_id = {?AWSKEY}\naws_secret_access_key = {?AWSSECRET}\n",
        "mail.smtp.host={?HOST}\nmail.smtp.user={?EMAIL}\nmail.smtp.password={?PASSWORD}\nserver.port={8080|8443}\n",
        '[tool.poetry.source]\nurl = "{?URL}"\n[auth]\ntoken = "{?TOKEN}"\n',
        "//{?HOST}/:_authToken={?TOKEN}\nregistry={?BASEURL}/\n",
        "Host {bastion|jump|build}\n  HostName {?IP}\n  User {deploy|ubuntu|admin}\n  IdentityFile ~/.ssh/id_{rsa|ed25519}\n",
        "jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      {_TOKEN_KEY}: {?TOKEN}\n      REGISTRY: {?HOST}\n    steps:\n      - uses: actions/checkout@v4\n".replace(
            "{_TOKEN_KEY}", _TOKEN_KEY
        ),
        'provider "{aws|postgresql|vault}" {{\n  {host|address} = "{?URL}"\n  {password|token} = "{?SECRET}"\n}}\n',
        "{?HOST}:5432:{app|billing}:{app|postgres}:{?PASSWORD}",
        "machine {?HOST}\n  login {deploy|ci|admin}\n  password {?PASSWORD}",
        "apiVersion: v1\nclusters:\n- cluster:\n    server: {?BASEURL}\n  name: {prod|staging}\nusers:\n- name: admin\n  user:\n    token: {?TOKEN}\n",
        "docker run -d -e {_PW_KEY}={?PASSWORD} -e {_HOST_KEY}={?HOST} -p 8080:8080 {public_host}/app:{version}".replace(
            "{_PW_KEY}", _PW_KEY
        )
        .replace("{_HOST_KEY}", _HOST_KEY)
        .replace("{public_host}", "ghcr.io/acme"),
        '[remote "origin"]\n\turl = {?CRED_URL}\n',
    ],
    "csv": [
        "name,email,phone\n{?PERSON},{?EMAIL},{?PHONE}\n{?PERSON},{?EMAIL},{?PHONE}\n",
        "id;Name;IBAN;Betrag\n{num};{?PERSON};{?IBAN};{public_money}\n{num};{?PERSON};{?IBAN};{public_money}",
        "customer_id,full_name,ssn,dob\n{num},{?PERSON},{?NATIONAL_ID},{date}\n",
        "order_id,status,created_at,total\n{order},{shipped|open|refunded},{ts},{num}\n{order},{shipped|open},{ts},{num}",
        "employee,salary,bonus\n{?PERSON},{num}000,{num}\n{?PERSON},{num}000,{num}",
        "host,ip,role\n{?HOST},{?IP},{db|web|cache}\n{?HOST},{?IP},{db|web|cache}",
        "| Name | Email | Phone |\n|---|---|---|\n| {?PERSON} | {?EMAIL} | {?PHONE} |\n| {?PERSON} | {?EMAIL} | {?PHONE} |",
        "uuid,sha,version\n{uuid},{sha},{version}\n{uuid},{sha},{version}",
    ],
    "log": [
        "{ts} {INFO|WARN|ERROR} [{auth|api|worker|billing}] login {ok|failed} user={?EMAIL} ip={?IP} req={uuid}\n{ts} INFO [{api|worker}] done in {n}ms",
        "{ts} ERROR could not connect to {?HOSTPORT}: connection refused (attempt {n}/{n})\n{ts} WARN retrying in {n}s",
        "{ts} DEBUG request GET {?URL}?access_token={?TOKEN} -> {200|401|500}",
        "[{ts}] {ERROR|CRITICAL} payment failed for card {?CARD} customer_email={?EMAIL} order={order}",
        "{ts} INFO user {?PERSON} <{?EMAIL}> updated profile (phone={?PHONE})",
        '{ts} level=error msg="auth failed" token={?TOKEN} src={?IP} trace_id={uuid}',
        "{ts} INFO deploy {version} to {?HOST} by {deploy-bot|jenkins} commit={sha}\n{ts} INFO healthcheck {?URL} ok",
        "{ts} WARN slow query ({n}s) on {?HOST}: SELECT * FROM orders WHERE id = {num}",
        "{ts} INFO payment captured amount={price} order={order} customer={?EMAIL} psp_ref={uuid}",
        "{ts} INFO refund issued {price} for order {order} (card ending {n}{n})",
        "{ts} ERROR [mailer] delivery to {?EMAIL} failed: 550 mailbox unavailable (relay {?HOST})",
    ],
    "stacktrace": [
        'Traceback (most recent call last):\n  File "/app/{db|main|worker}.py", line {n}, in connect\n    conn = psycopg2.connect("{?DB_URI}")\npsycopg2.OperationalError: could not connect to server: Connection refused\n\tIs the server running on host "{?HOST}" ({?IP}) and accepting TCP/IP connections on port 5432?',
        "java.net.ConnectException: Connection refused: {?HOSTPORT}\n\tat java.base/sun.nio.ch.Net.connect0(Native Method)\n\tat com.{acme|corp}.client.HttpClient.send(HttpClient.java:{num})\n\tat com.{acme|corp}.Main.main(Main.java:{n})",
        "Error: Request failed with status code 401\n    at createError (node_modules/axios/lib/core/createError.js:16:15)\n  config: {{ url: '{?URL}', headers: {{ Authorization: 'Bearer {?TOKEN}' }} }}",
        "sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (1045, \"Access denied for user 'app'@'{?IP}' (using password: YES)\")\n(Background on this error at: https://sqlalche.me/e/20/e3q8)",
        'redis.exceptions.ConnectionError: Error 111 connecting to {?HOSTPORT}. Connection refused.\n  File "/usr/lib/python3/site-packages/redis/connection.py", line {num}, in connect',
        "panic: dial tcp {?IPPORT}: i/o timeout\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/cmd/server/main.go:{n} +0x{sha}",
        'KeyError: \'{placeholder}\'\n  File "settings.py", line {n}, in <module>\n    SECRET_KEY = os.environ["SECRET_KEY"]',
    ],
    "sql": [
        "INSERT INTO customers (name, email, phone) VALUES ('{?PERSON}', '{?EMAIL}', '{?PHONE}');",
        "SELECT id, name, iban FROM payees WHERE iban = '{?IBAN}';",
        "UPDATE users SET email = '{?EMAIL}', address = '{?ADDRESS}' WHERE id = {num};",
        "CREATE USER {app|report|etl} WITH PASSWORD '{?PASSWORD}';",
        "SELECT * FROM orders WHERE created_at > '{date}' AND status = '{open|shipped}' LIMIT {n};",
        "INSERT INTO employees (full_name, ssn, salary) VALUES ('{?PERSON}', '{?NATIONAL_ID}', {num}000);",
        "-- {fix|check} for {ticket}\nSELECT card_number FROM payments WHERE card_number = '{?CARD}';",
    ],
    "http": [
        "GET /api/v1/{users|orders|me} HTTP/1.1\nHost: {?HOST}\nAuthorization: Bearer {?TOKEN}\nUser-Agent: curl/8.4.0\nAccept: */*",
        "POST /login HTTP/1.1\nHost: {?HOSTPORT}\nContent-Type: application/x-www-form-urlencoded\n\nusername={?EMAIL}&password={?PASSWORD}",
        'HTTP/1.1 {401 Unauthorized|403 Forbidden|500 Internal Server Error}\nDate: {ts}\nX-Request-Id: {uuid}\nContent-Type: application/json\n\n{{"error": "{invalid_token|forbidden|internal}"}}',
        "Cookie: session={?TOKEN}; csrftoken={sha}\nReferer: {?URL}",
        "> GET {?URL} HTTP/2\n> authorization: Basic {?TOKEN}\n< HTTP/2 200\n< x-trace-id: {uuid}",
    ],
    "curl": [
        'curl -H "Authorization: Bearer {?TOKEN}" {?URL}',
        "curl -u {admin|deploy|ci}:{?PASSWORD} {?URL}",
        'curl -X POST {?URL} -H \'Content-Type: application/json\' -d \'{{"email": "{?EMAIL}", "phone": "{?PHONE}"}}\'',
        'curl -s "{public_url}" | jq .',
        'curl --header "X-Api-Key: {?TOKEN}" https://{public_host}/v1/{models|charges|messages}',
        "wget --header='PRIVATE-TOKEN: {?TOKEN}' {?URL}",
        'http POST {?URL} Authorization:"token {?TOKEN}"',
    ],
    "code": [
        'import {requests|httpx}\n\n{API_KEY|api_key|TOKEN} = "{?TOKEN}"\nresp = {requests|httpx}.get("{?URL}", headers={{"Authorization": f"Bearer {{{API_KEY|api_key|TOKEN}}}"}})',
        "const client = new Client({{\n  host: '{?HOST}',\n  user: '{admin|app}',\n  password: '{?PASSWORD}',\n}});",
        'conn = psycopg2.connect(host="{?HOST}", user="{app|admin}", password="{?PASSWORD}", dbname="{prod|crm}")',
        'engine = create_engine("{?DB_URI}")',
        'String url = "{?JDBC}";\nString password = "{?PASSWORD}";',
        'client := openai.NewClient("{?TOKEN}")',
        'stripe.api_key = "{?TOKEN}"\ncharge = stripe.Charge.create(amount={num}, currency="{usd|eur|jpy}")',
        'headers = {{"X-API-Key": os.environ["API_KEY"]}}  # {never hardcode|do not commit} keys\nurl = "{public_url}"',
        'PRIVATE_KEY = """{?PEM}"""',
        "git remote add origin {?URL}\ngit push -u origin main",
        "ssh -i ~/.ssh/id_rsa {deploy|admin}@{?IP} 'sudo systemctl restart {api|nginx}'",
        "ping -c 3 {?IP}\nnslookup {?HOST}",
    ],
}

_HDR = "{*/*\n|application/json\n|Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36\n|}"

# The proxy's "fields" view of a request (serving.inspect.extract): URL path, then query and body names
# and values and content-bearing header values, one per line.
STRUCTURED["fields"] = [
    _HDR
    + "/api/v1/messages\nchannel\n{general|random|support|dev}\nthread\n{slugid}\nmessage\n{Thanks, see you at the offsite!|Build is green again.|{?PERSON} joins the call at {time}.|Can someone review PR #{num}?}",
    _HDR + "/submit\nname\n{?PERSON}\nemail\n{?EMAIL}\nphone\n{?PHONE}\nconsent\n{true|on|1}",
    "/graphql\nquery\nmutation UpdateUser($id: ID!, $email: String!) {{ updateUser(id: $id, email: $email) {{ id }} }}\nvariables\nid\n{num}\nemail\n{?EMAIL}",
    _HDR
    + "/api/tickets\ntitle\n{Login fails after the update|Export is slow|Typo on the pricing page}\npriority\n{low|high|P2}\nreporter\n{?EMAIL}\nref\n{slugid}",
    "/v1/chat/completions\nmodel\n{gpt-4o|claude-sonnet|llama3}\nmessages\nrole\nuser\ncontent\n{connect to {?HOST} with password {?PASSWORD} and list the tables|why does {software} return 502 behind {software}?|summarize the {event} keynote}",
    _HDR + "/login\nusername\n{?EMAIL}\npassword\n{?PASSWORD}\nremember\n{true|false}",
    _HDR + "/search\nq\n{release notes {software} {version}|{software} vs {software}|{num}}\npage\n{n}",
    "/api/deploy\nservice\n{api|billing|web}\npod\n{pod}\nimage\n{public_host}/app:{version}\nrequest_id\n{uuid}",
    _HDR
    + "/api/payments\namount\n{num}\ncurrency\n{EUR|USD|JPY}\niban\n{?IBAN}\nholder\n{?PERSON}\nreference\n{order}",
    "/hooks/{stripe|billing}\nid\n{objid}\ntype\n{invoice.paid|charge.succeeded|customer.updated}\nlivemode\n{true|false}\ncreated\n{num}",
    "/api/config\nkey\n" + _TOKEN_KEY + "\nvalue\n{?TOKEN}\nenv\n{prod|staging}\nupdated_by\n{slugid}",
    _HDR
    + "/upload\nfile\nfilename\n{notes|export|report}.{csv|txt}\ncontent\nname,email\n{?PERSON},{?EMAIL}",
    _HDR + "/page\nq\n{num}",
    "/api/v2/accounts/{num}\nname\n{?CUSTOMER}\nsegment\n{enterprise|smb}\narr\n{?MONEY}\nowner\n{?EMAIL}",
    _HDR
    + "/comments\npost_id\n{num}\nbody\n{Great write-up, the {software} part helped a lot.|Same issue here on {version}.|Thanks!}\nthread\n{slugid}",
]
