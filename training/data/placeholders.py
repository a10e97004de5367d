"""Placeholder and documentation values that switchable ``{?SLOT}`` slots render in hard negatives."""

# Value tables: one entry per line reads better than wrapped strings.
# ruff: noqa: E501

from __future__ import annotations

__all__ = ["NEG_SWITCH"]

#: slot name -> values shaped like the slot's value but not sensitive (localhost, example.com, ${VAR}...)
NEG_SWITCH: dict[str, tuple[str, ...]] = {
    "baseurl": (
        "http://localhost:8080",
        "https://api.example.com",
        "https://registry.npmjs.org",
        "https://kubernetes.default.svc",
    ),
    "jdbc": ("jdbc:postgresql://localhost:5432/test", "jdbc:h2:mem:testdb", "jdbc:mysql://db:3306/app"),
    "ipport": ("127.0.0.1:5432", "0.0.0.0:8080", "localhost:6379"),
    "cred_url": (
        "https://${GIT_USER}:${GIT_TOKEN}@github.com/org/repo.git",
        "https://<user>:<token>@gitlab.com/group/repo.git",
        "https://x-access-token:${{ secrets.GITHUB_TOKEN }}@github.com/acme/app.git",
    ),
    "pem_json": (
        "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----",
        "<private-key>",
        "${PRIVATE_KEY}",
    ),
    "awskey": (
        "AKIAIOSFODNN7EXAMPLE",
        "AKIAXXXXXXXXXXXXXXXX",
        "${AWS_ACCESS_KEY_ID}",
        "<access-key-id>",
    ),  # gitleaks:allow
    "awssecret": (
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "${AWS_SECRET_ACCESS_KEY}",
        "<secret-access-key>",
    ),  # gitleaks:allow
    "db_uri": (
        "postgresql://user:${DB_PASSWORD}@localhost:5432/app",
        "postgres://localhost/dev",
        "sqlite:///app.db",
        "mongodb://localhost:27017",
        "redis://localhost:6379/0",
        "mysql://root:<password>@127.0.0.1/test",
        "postgresql://postgres:postgres@localhost/postgres",
        "${DATABASE_URL}",
    ),
    "host": (
        "localhost",
        "db",
        "redis",
        "api.example.com",
        "example.com",
        "github.com",
        "registry.npmjs.org",
        "smtp.gmail.com",
        "api.openai.com",
        "pypi.org",
    ),
    "hostport": (
        "localhost:5432",
        "127.0.0.1:8080",
        "db:5432",
        "redis:6379",
        "api.example.com:443",
        "0.0.0.0:8000",
    ),
    "ip": ("127.0.0.1", "0.0.0.0", "8.8.8.8", "1.1.1.1", "203.0.113.7", "198.51.100.23"),
    "url": (
        "http://localhost:8080/api",
        "https://api.example.com/v1",
        "https://httpbin.org/get",
        "https://api.github.com/repos/octocat/hello-world",
        "https://jsonplaceholder.typicode.com/posts/1",
    ),
    "person": ("<name>", "John Doe", "Jane Doe", "Test User", "%s", "{{ user.name }}", "Max Mustermann"),
    "phone": ("+1 555 0100", "555-0123", "000-000-0000", "<phone>", "+49 000 0000000"),
    "address": ("<address>", "{{ address }}", "N/A"),
    "card": ("**** **** **** 4821", "XXXX-XXXX-XXXX-1234", "<card-number>", "************1881"),
    "iban": ("<IBAN>", "DEXX XXXX XXXX XXXX XXXX XX", "${IBAN}"),
    "national_id": ("XXX-XX-XXXX", "000-00-0000", "<ssn>", "***-**-1234"),
}
