"""`guard train` and `guard eval`: registered on guard's CLI when the `train` extra is installed.

Heavy imports (torch, transformers) happen inside the commands, so `guard scan` stays fast.
"""

from __future__ import annotations

import json
import logging
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from training.realtext import DEFAULT_CACHE

__all__ = ["portable_path", "register"]

_DEFAULT_WORK = Path.home() / ".cache" / "guard" / "runs"


def portable_path(arg: str) -> str:
    """``arg`` with the user's home folder written as ``~`` (model cards name no machine's paths)."""
    home = str(Path.home())
    if arg == home or arg.startswith(home + "/"):
        return "~" + arg[len(home) :]
    return arg


def train(
    output: Annotated[Path, typer.Option(help="model directory to write (ONNX, tokenizer, manifest, card)")],
    base_model: Annotated[
        str, typer.Option(help="e5-small-trim | e5-small | minilm | HF directory | hub id")
    ] = "e5-small-trim",
    from_model: Annotated[
        str | None,
        typer.Option(
            "--from", help="continue from a trained torch model dir, a packaged model dir, or 'default'"
        ),
    ] = None,
    domain: Annotated[Path | None, typer.Option(help="company domain pack (YAML)")] = None,
    docs: Annotated[Path | None, typer.Option(help="folder of company documents (text files)")] = None,
    domain_examples: Annotated[
        int | None, typer.Option(help="generated domain examples [6000; 3000 with --from]")
    ] = None,
    data: Annotated[list[Path] | None, typer.Option(help="extra annotated JSONL training files")] = None,
    generate: Annotated[
        int | None, typer.Option(help="generated generic examples [80000; 3000 with --from]")
    ] = None,
    work_dir: Annotated[
        Path | None, typer.Option(help="checkpoints and data (outside the work tree)")
    ] = None,
    epochs: Annotated[float | None, typer.Option(help="[3; 1 with --from]")] = None,
    max_steps: Annotated[int, typer.Option(help="stop after this many steps (-1: epochs)")] = -1,
    batch_size: Annotated[int | None, typer.Option(help="[64; 16 with --from]")] = None,
    learning_rate: Annotated[float | None, typer.Option(help="[1e-4; 5e-5 with --from]")] = None,
    layers: Annotated[
        int, typer.Option(help="encoder layers of the shipped (student) model; 0 keeps all")
    ] = 6,
    distill: Annotated[
        bool, typer.Option(help="distil the shallow student from a full-depth teacher")
    ] = False,
    teacher: Annotated[
        str | None,
        typer.Option(
            help="distil the --from model from this trained model ('default', a packaged model or "
            "torch weights): how a shallow copy of the default model learns its outputs"
        ),
    ] = None,
    trim_vocab: Annotated[bool, typer.Option(help="trim the vocabulary to the training corpus")] = False,
    freeze_embeddings: Annotated[
        bool, typer.Option(help="freeze word embeddings (~20 % faster on CPU)")
    ] = False,
    real_text: Annotated[
        Path | None,
        typer.Option(help="a `guard corpus` folder: its train/dev are mixed in, its test is evaluated"),
    ] = None,
    feedback: Annotated[
        str | None,
        typer.Option(
            help="incident store URL: analysts' verdicts on incidents whose text was kept "
            "(--keep-training-text on the proxies) become training data; needs --domain"
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="packaged model a --domain model must not be less precise than on real text "
            "[the packaged default with --from default]"
        ),
    ] = None,
    max_minutes: Annotated[
        float | None, typer.Option(help="stop fine-tuning after this many minutes (the model is saved)")
    ] = None,
    seed: Annotated[int, typer.Option()] = 13,
    version: Annotated[str, typer.Option()] = "0.1.0",
    export_only: Annotated[
        bool,
        typer.Option(
            help="no fine-tuning: package the --from weights as they are (export, calibrate, evaluate); "
            "data sizes and the card's recipe are the full run's"
        ),
    ] = False,
) -> None:
    """Train a guard model: generate data, fine-tune, export to ONNX (int8), calibrate, evaluate."""
    from training.pipeline import PipelineConfig, run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from_default = from_model == "default"
    if from_model:
        from_model = _torch_weights("--from", from_model)
    if teacher is not None:
        if not from_model or export_only:
            typer.echo("error: --teacher distils the --from model: give --from, not --export-only", err=True)
            raise typer.Exit(2)
        teacher = _torch_weights("--teacher", teacher)
    if export_only and not from_model:
        typer.echo("error: --export-only needs --from (the trained torch weights to package)", err=True)
        raise typer.Exit(2)
    if real_text is not None and not all(
        (real_text / f"{s}.jsonl.gz").exists() for s in ("train", "dev", "test")
    ):
        typer.echo(
            f"error: --real-text {real_text}: no train/dev/test.jsonl.gz (build it with `guard corpus`)",
            err=True,
        )
        raise typer.Exit(2)
    work_dir = work_dir or _DEFAULT_WORK / output.name
    if feedback is not None:
        if domain is None:
            typer.echo("error: --feedback trains a company model: give its --domain pack", err=True)
            raise typer.Exit(2)
        from training.feedback import write_feedback

        fb_file = work_dir / "feedback.jsonl"
        try:
            n_feedback, counts = write_feedback(feedback, fb_file)
        except Exception as exc:  # noqa: BLE001 - the store's own error names the URL without its password
            typer.echo(f"error: --feedback: {exc}", err=True)
            raise typer.Exit(2) from None
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "no reviewed incident"
        typer.echo(f"feedback: {n_feedback} texts from the analysts' verdicts ({summary})", err=True)
        if not n_feedback:
            typer.echo("error: --feedback: no verdict on an incident with kept text (--keep-training-text)",
                       err=True)  # fmt: skip
            raise typer.Exit(2)
        data = [*(data or []), fb_file]
    tuning = bool(from_model) and not export_only  # the smaller defaults of a continued fine-tune
    cfg = PipelineConfig(
        output=output,
        work_dir=work_dir,
        base_model=base_model,
        from_model=from_model,
        train_files=list(data or []),
        generate_train=generate if generate is not None else (3000 if tuning else 80000),
        generate_dev=500 if tuning else 2000,
        generate_test=1000 if tuning else 3000,
        domain_train=domain_examples or (3000 if tuning else 6000),
        domain=domain,
        docs=docs,
        epochs=epochs if epochs is not None else (1.0 if tuning else 3.0),
        max_steps=max_steps,
        batch_size=batch_size or (16 if tuning else 64),
        learning_rate=learning_rate or (5e-5 if tuning else 1e-4),
        layers=layers or None,
        distill=distill,
        teacher=Path(teacher) if teacher is not None else None,
        trim_vocab=trim_vocab,
        seed=seed,
        freeze_embeddings=freeze_embeddings,
        version=version,
        name="guard-" + (domain.stem if domain else "multilingual"),
        export_only=export_only,
        real_text=real_text,
        baseline_model=baseline,
        max_minutes=max_minutes,
    )
    command = "guard " + " ".join(portable_path(shlex.quote(a)) for a in sys.argv[1:])
    if export_only and from_default:
        # the recipe itself is written once, in the Makefile's default-model target
        command += (
            "\n# the default model itself comes from `make default-model` (the recipe is in the Makefile)"
        )
    from training.data.errors import DataError
    from training.pipeline import ShipRejected

    try:
        out = run(cfg, command)
    except ShipRejected as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except DataError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"model written to {out}")


def _torch_weights(option: str, value: str) -> str:
    """``value`` of ``option`` (``--from``, ``--teacher``) as trained torch weights, or exit 2.

    ``default`` and a packaged model (``model.onnx``, no ``config.json``) are derived from their ONNX
    graph; anything else must be a trained model directory.
    """
    from training.pipeline import default_torch_dir, torch_dir_of

    if value == "default":
        value = str(default_torch_dir())
    elif (Path(value) / "model.onnx").exists() and not (Path(value) / "config.json").exists():
        value = str(torch_dir_of(Path(value)))  # a packaged model: continue from its graph
    if not (Path(value) / "config.json").exists():
        typer.echo(f"error: {option} {value}: not a trained model directory (no config.json)", err=True)
        raise typer.Exit(2)
    return value


def evaluate(
    model: Annotated[Path, typer.Option(help="model directory")],
    data: Annotated[list[Path], typer.Option(help="annotated JSONL files (char spans)")],
    as_json: Annotated[bool, typer.Option("--json", help="print the full report as JSON")] = False,
) -> None:
    """Entity-level P/R/F1 per label and language, block recall and false-block rate."""
    from guard.model import load_manifest
    from training.pipeline import evaluate_model_dir, load_records

    manifest = load_manifest(model)
    report = evaluate_model_dir(model, load_records(data), manifest.thresholds)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    micro = report["micro"]
    typer.echo(f"micro F1 {micro['f1']:.4f}  P {micro['precision']:.4f}  R {micro['recall']:.4f}")
    for label, row in report["by_label"].items():
        typer.echo(f"  {label:<14} F1 {row['f1']:.4f}  (support {row['support']})")
    for lang, row in report["by_lang"].items():
        typer.echo(f"  lang {lang:<9} F1 {row['f1']:.4f}")
    typer.echo(
        f"block recall {report['block_recall']:.4f}  false-block rate {report['false_block_rate']:.4f}"
    )


def corpus(
    output: Annotated[Path, typer.Option(help="folder for train/dev/test JSONL, documents and manifest")],
    cache: Annotated[
        Path, typer.Option(help="downloads, unpacked packages and extracted documents (reused)")
    ] = DEFAULT_CACHE,
    train_size: Annotated[int, typer.Option("--train", help="harmless train paragraphs")] = 20000,
    dev_size: Annotated[int, typer.Option("--dev", help="harmless dev paragraphs")] = 1500,
    test_size: Annotated[int, typer.Option("--test", help="harmless test paragraphs")] = 3000,
    inject_ratio: Annotated[float, typer.Option(help="records with generated values per harmless one")] = 0.4,
    mine: Annotated[
        str | None, typer.Option(help="model whose findings pick hard negatives ('default' or a dir)")
    ] = None,
    source: Annotated[list[str] | None, typer.Option(help="only these sources (default all)")] = None,
    lang: Annotated[
        list[str] | None, typer.Option(help="only these languages (default en de fr ja zh)")
    ] = None,
    seed: Annotated[int, typer.Option()] = 16,
) -> None:
    """Build the real-text corpus from package registries (see docs/realtext.md)."""
    from training.realtext.build import SOURCES, build

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    known = {s.name for s in SOURCES}
    unknown = sorted(set(source or ()) - known)
    if unknown:
        typer.echo(
            f"error: unknown source(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})", err=True
        )
        raise typer.Exit(2)
    try:
        manifest = build(
            output,
            cache,
            sizes={"train": train_size, "dev": dev_size, "test": test_size},
            inject_ratio=inject_ratio,
            seed=seed,
            mine_model=mine,
            sources=source,
            langs=lang,
        )
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    for split, counts in manifest["records"].items():
        typer.echo(f"{split}: {sum(counts.values())} records")
    for problem in manifest["missing"]:
        typer.echo(f"missing: {problem}", err=True)
    if manifest["missing"]:
        typer.echo(
            f"built without {len(manifest['missing'])} source(s); see {output / 'manifest.json'}", err=True
        )


def cascade(
    model: Annotated[Path, typer.Option(help="packaged model directory; gets gate.npz and a manifest entry")],
    real_text: Annotated[
        Path | None, typer.Option(help="a `guard corpus` folder: its train and dev texts join the sample")
    ] = None,
    generate: Annotated[int, typer.Option(help="generated train texts (dev: a quarter as many)")] = 8000,
    real: Annotated[int, typer.Option(help="at most this many real train texts (dev: a quarter)")] = 8000,
    level: Annotated[float, typer.Option(help="model probability (non-O) that makes a token positive")] = 0.2,
    recall: Annotated[
        float, typer.Option(help="share of dev windows with a positive token that pass")
    ] = 0.999,
    seed: Annotated[int, typer.Option()] = 17,
) -> None:
    """Distil the cascade's first-stage gate from a model (guard/model/cascade.py, training/cascade.py)."""
    import random

    from guard.errors import GuardError
    from training.cascade import distil_gate
    from training.data.generate import generate as gen
    from training.pipeline import load_records

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    train = [ex["text"] for ex in gen(generate, seed=seed, split="train")]
    dev = [ex["text"] for ex in gen(generate // 4, seed=seed + 1, split="train")]
    if real_text is not None:
        rng = random.Random(seed)
        for split, out, n in (("train", train, real), ("dev", dev, real // 4)):
            path = real_text / f"{split}.jsonl.gz"
            if not path.is_file():
                typer.echo(f"error: {path} not found (build it with guard corpus)", err=True)
                raise typer.Exit(2)
            texts = [r["text"] for r in load_records([path])]
            out.extend(rng.sample(texts, min(n, len(texts))))
    try:
        report = distil_gate(model, train, dev, level=level, recall=recall)
    except (GuardError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(
        f"gate: {report.pass_rate:.1%} of {report.dev_windows} dev windows pass "
        f"({report.negative_pass_rate:.1%} of those the model sees nothing in); "
        f"recall of windows it reports from {report.reported_recall:.4f}"
    )


def register(app: typer.Typer) -> None:
    """Add `train`, `eval`, `corpus` and `cascade` to guard's CLI."""
    app.command("train")(train)
    app.command("eval")(evaluate)
    app.command("corpus")(corpus)
    app.command("cascade")(cascade)
