"""A guard option given twice keeps its last value instead of unloading the addon (fail-open)."""

from __future__ import annotations

from mitmproxy import options

from serving.mitm.addon import _OPTIONS, _last_value_wins


def _registered(*given: str) -> options.Options:
    opts = options.Options()
    opts.set(*given, defer=True)  # what `mitmdump --set ...` does before the script registers its options
    _last_value_wins(opts)
    for name, typespec, default, help_text in _OPTIONS:
        opts.add_option(name, typespec, default, help_text)
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
