"""The addon's guard_* options are made from ProxySettings; one given twice keeps its last value instead
of unloading the addon (fail-open)."""

from __future__ import annotations

from mitmproxy import options

from serving.inspect.settings import ProxySettings, mitmproxy_options, option_values, options_given
from serving.mitm.addon import _last_value_wins


def _registered(*given: str) -> options.Options:
    declared = mitmproxy_options()
    opts = options.Options()
    opts.set(*given, defer=True)  # what `mitmdump --set ...` does before the script registers its options
    _last_value_wins(opts, declared)
    for o in declared:
        opts.add_option(o.name, o.typespec, o.default, o.help)
    opts.process_deferred()  # raised "Received multiple values" before: mitmproxy then dropped the addon
    return opts


def test_repeated_single_options_keep_the_last_value() -> None:
    given = ["guard_no_model=false", "guard_no_model=true", "guard_incidents=a.jsonl"]
    given += ["guard_incidents=sqlite:///b.db", "guard_max_body=10", "guard_max_body=20"]
    opts = _registered(*given)
    assert opts.guard_no_model is True  # type: ignore[attr-defined]
    assert opts.guard_incidents == "sqlite:///b.db"  # type: ignore[attr-defined]
    assert opts.guard_max_body == 20  # type: ignore[attr-defined]
    assert not opts.deferred


def test_repeated_list_options_keep_every_value() -> None:
    opts = _registered("guard_allow=corp.example", "guard_allow=*.internal")
    assert list(opts.guard_allow) == ["corp.example", "*.internal"]  # type: ignore[attr-defined]


def test_every_setting_with_a_flag_is_an_option_under_its_established_name() -> None:
    declared = {o.field: o.name for o in mitmproxy_options()}
    assert set(declared) == set(ProxySettings.model_fields) - {"source"}
    assert declared["help_text"] == "guard_help" and declared["credentials"] == "guard_credentials"
    assert declared["server_timeout"] == "guard_server_timeout" and declared["deadline"] == "guard_deadline"
    assert declared["alert_webhooks"] == "guard_alert_webhooks" and declared["max_body"] == "guard_max_body"


def test_options_set_on_the_command_line_parse_into_the_settings() -> None:
    opts = _registered("guard_server_timeout=0.5", "guard_deadline=3", "guard_strict=paste.corp",
                       "guard_fail_mode=open", "guard_coach=true")  # fmt: skip
    settings = ProxySettings.resolve(options_given(opts, mitmproxy_options()))
    assert (settings.server_timeout, settings.deadline, settings.fail_mode) == (0.5, 3.0, "open")
    assert settings.strict == ["paste.corp"] and settings.coach is True


def test_the_values_handed_to_the_addon_leave_secrets_to_the_environment() -> None:
    settings = ProxySettings.resolve(server_timeout=0.5, hash_key="k" * 32, api_key="a" * 20, coach=True)
    handed = option_values(settings)
    assert handed == {"guard_server_timeout": "0.5", "guard_coach": True}
