"""The whole training job as named steps: data → base model → fine-tune (→ distil) → package.

`run(config)` is what `guard train` calls. Each step can also be run on its own, which is
how the shipped default model was trained: data and base model prepared on a CPU box,
the fine-tuning steps on a GPU, packaging (ONNX export, int8, calibration, evaluation,
model card) on the CPU box again.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import logging
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from guard.findings import LABELS
from training.features import TAGS

__all__ = [
    "PipelineConfig",
    "ShipRejected",
    "evaluate_model_dir",
    "load_records",
    "package",
    "predict_spans",
    "prepare_base",
    "prepare_data",
    "default_torch_dir",
    "torch_dir_of",
    "run",
    "train_models",
    "write_records",
]

log = logging.getLogger(__name__)

#: The small tracked files of the default model's torch checkpoint (config, tokenizer).
DEFAULT_TORCH_DIR = Path(__file__).resolve().parent / "checkpoints" / "default"
#: Where `default_torch_dir` writes the torch weights derived from the shipped ONNX graph.
DEFAULT_TORCH_CACHE = Path.home() / ".cache" / "guard" / "default-torch"


def default_torch_dir() -> Path:
    """The shipped model as a torch checkpoint (for ``--from default``), derived from its ONNX graph.

    The repository keeps one artifact per model version (`training.onnx_weights`); the weights are
    derived once per shipped graph into `DEFAULT_TORCH_CACHE`.
    """
    from guard.model import default_model_path
    from training.onnx_weights import derive_checkpoint

    return derive_checkpoint(default_model_path(), DEFAULT_TORCH_DIR, DEFAULT_TORCH_CACHE)


def torch_dir_of(model_dir: Path) -> Path:
    """A packaged guard model (``model.onnx``, no ``config.json``) as a torch checkpoint to continue from.

    The weights are derived from its graph like ``--from default`` (the architecture is the default
    model's), into a cache folder named after the graph, so `make default-model` continues stage 3
    from exactly the int8 graph that stage 2 shipped.
    """
    import hashlib

    from training.onnx_weights import derive_checkpoint

    digest = hashlib.sha256((model_dir / "model.onnx").read_bytes()).hexdigest()[:16]
    return derive_checkpoint(model_dir, DEFAULT_TORCH_DIR, DEFAULT_TORCH_CACHE.with_name(f"derived-{digest}"))


@dataclass
class PipelineConfig:
    """Everything one training job needs; defaults reproduce the shipped model's recipe."""

    output: Path
    work_dir: Path
    base_model: str = "e5-small-trim"
    from_model: str | None = None
    train_files: list[Path] = field(default_factory=list)
    dev_files: list[Path] = field(default_factory=list)
    test_files: list[Path] = field(default_factory=list)
    generate_train: int = 80000
    generate_dev: int = 2000
    generate_test: int = 3000
    domain: Path | None = None
    docs: Path | None = None
    domain_train: int = 6000
    domain_test: int = 1500
    trim_vocab: bool = False
    layers: int | None = 6
    distill: bool = False
    # a trained model (torch dir) the --from model is distilled from (a shallow copy of the default)
    teacher: Path | None = None
    epochs: float = 3.0
    max_steps: int = -1
    learning_rate: float = 1e-4
    batch_size: int = 64
    max_length: int = 256
    stride: int = 64
    freeze_embeddings: bool = False
    seed: int = 13
    name: str = "guard-multilingual"
    version: str = "0.1.0"
    quantize: bool = True
    export_only: bool = False
    real_text: Path | None = None  # a `guard corpus` folder: train/dev mixed in, test evaluated
    # the packaged model a company model must not be less precise than on real text (None: the
    # packaged default model when continuing from the default weights; no gate otherwise)
    baseline_model: Path | None = None
    max_minutes: float | None = None  # stop fine-tuning (and save) after this wall-clock time


class ShipRejected(RuntimeError):
    """A company model flags more harmless real text than the model it started from: not shipped."""


# ---------------------------------------------------------------- data


def _as_record(example: Any) -> dict[str, Any]:
    record = dataclasses.asdict(example) if dataclasses.is_dataclass(example) else dict(example)
    record["spans"] = [
        dict(s) if not dataclasses.is_dataclass(s) else dataclasses.asdict(s) for s in record["spans"]
    ]
    return record


def write_records(records: Iterable[Mapping[str, Any]], path: Path) -> int:
    """Write records as JSONL (gzip when the name ends in .gz); return the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if path.suffix == ".gz" else open
    n = 0
    with opener(path, "wt", encoding="utf-8") as fh:  # type: ignore[operator]
        for record in records:
            fh.write(json.dumps(_as_record(record), ensure_ascii=False) + "\n")
            n += 1
    return n


def load_records(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Load validated records from JSONL files (plain or .gz) with the trainer's loader."""
    from training.data.loaders import load_jsonl

    records: list[dict[str, Any]] = []
    for path in paths:
        records.extend(_as_record(r) for r in load_jsonl(path))
    return records


def _generated(split: str, n: int, seed: int) -> Iterator[Any]:
    from training.data.generate import generate

    yield from generate(n, seed=seed, split=split)


def prepare_data(cfg: PipelineConfig) -> dict[str, Path]:
    """Write train/dev/test JSONL into the work dir (generated and/or given files, plus domain data)."""
    from training.data.domain import generate_domain

    data_dir = cfg.work_dir / "data"
    out: dict[str, Path] = {}
    plan = {
        "train": ("train", cfg.generate_train, cfg.seed, cfg.train_files, cfg.domain_train),
        "dev": ("train", cfg.generate_dev, cfg.seed + 1000, cfg.dev_files, cfg.domain_train // 10),
        "test": ("heldout", cfg.generate_test, cfg.seed + 2000, cfg.test_files, cfg.domain_test),
    }
    for name, (split, n_generic, seed, files, n_domain) in plan.items():
        records = load_records(files) if files else []
        if cfg.real_text is not None and name != "test":
            records += load_records([cfg.real_text / f"{name}.jsonl.gz"])
        if n_generic:
            records += [_as_record(x) for x in _generated(split, n_generic, seed)]
        if cfg.domain is not None:
            records += [
                _as_record(x)
                for x in generate_domain(cfg.domain, n_domain, seed=seed + 7, split=split, docs_dir=cfg.docs)
            ]
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(records))
        out[name] = data_dir / f"{name}.jsonl.gz"
        write_records((records[i] for i in order), out[name])
        log.info("%s: %d records -> %s", name, len(records), out[name])
    if cfg.real_text is not None:
        out["real_test"] = cfg.real_text / "test.jsonl.gz"
    if cfg.domain is not None:
        out["domain_test"] = data_dir / "domain_test.jsonl.gz"
        write_records(
            generate_domain(
                cfg.domain, cfg.domain_test, seed=cfg.seed + 2007, split="heldout", docs_dir=cfg.docs
            ),
            out["domain_test"],
        )
    return out


# ---------------------------------------------------------------- base model


def prepare_base(cfg: PipelineConfig, corpus: Sequence[str]) -> tuple[Path, Path | None]:
    """Resolve the base encoder, trim its vocabulary to the corpus, and cut layers for the student.

    Returns:
        (teacher_base, student_base): the full-depth base and, when ``cfg.layers`` asks for fewer
        layers, the shallower copy (None otherwise).
    """
    from training.base_models import resolve_base_model
    from training.shrink import drop_layers, trim_vocab

    base = resolve_base_model(cfg.base_model)
    if cfg.trim_vocab:
        trimmed = cfg.work_dir / "base-trim"
        if not (trimmed / "config.json").exists():
            trim_vocab(base, corpus, trimmed, keep_single_chars=True)
        base = trimmed
    student = None
    if cfg.layers:
        config = json.loads((base / "config.json").read_text())
        total = int(config["num_hidden_layers"])
        if cfg.layers < total:
            student = cfg.work_dir / f"base-{cfg.layers}l"
            if not (student / "config.json").exists():
                drop_layers(base, cfg.layers, student)
    return base, student


# ---------------------------------------------------------------- fine-tuning


def train_models(
    cfg: PipelineConfig, data: Mapping[str, Path], teacher_base: Path, student_base: Path | None
) -> Path:
    """Fine-tune (teacher, then distilled student when asked); return the torch dir to package."""
    from training.train import FinetuneArguments, finetune

    train, dev = load_records([data["train"]]), load_records([data["dev"]])
    dev = dev[:1000]  # the trainer's own dev loss and seqeval figures are a log; calibration uses all of dev
    common = {
        "max_length": cfg.max_length,
        "stride": cfg.stride,
        "epochs": cfg.epochs,
        "max_steps": cfg.max_steps,
        "learning_rate": cfg.learning_rate,
        "batch_size": cfg.batch_size,
        "seed": cfg.seed,
        "freeze_embeddings": cfg.freeze_embeddings,
        "max_seconds": cfg.max_minutes * 60 if cfg.max_minutes else None,
    }
    start = str(cfg.from_model or teacher_base)
    if cfg.teacher is not None:  # a student that already exists (--from), taught by a trained model
        return finetune(
            FinetuneArguments(
                base_model=start, output_dir=str(cfg.work_dir / "student"), teacher=str(cfg.teacher), **common
            ),
            train,
            dev,
        )
    teacher = finetune(
        FinetuneArguments(base_model=start, output_dir=str(cfg.work_dir / "teacher"), **common), train, dev
    )
    if student_base is None or not cfg.distill or cfg.from_model:
        return teacher
    return finetune(
        FinetuneArguments(
            base_model=str(student_base),
            output_dir=str(cfg.work_dir / "student"),
            teacher=str(teacher),
            **common | {"learning_rate": cfg.learning_rate * 2},
        ),
        train,
        dev,
    )


# ---------------------------------------------------------------- packaging


def predict_spans(model_dir: Path, texts: Sequence[str]) -> list[list[dict[str, Any]]]:
    """All model candidate spans with scores, per text (no thresholds applied)."""
    from guard.model import OnnxTokenClassifier

    clf = OnnxTokenClassifier.load(model_dir, provider="cpu")
    out: list[list[dict[str, Any]]] = []
    for i in range(0, len(texts), 256):
        for analysis in clf.analyze_many(texts[i : i + 256]):
            out.append(
                [
                    {"start": f.start, "end": f.end, "label": f.label, "score": f.score}
                    for f in analysis.findings
                ]
            )
    return out


def evaluate_model_dir(
    model_dir: Path, records: Sequence[Mapping[str, Any]], thresholds: Mapping[str, float]
) -> dict[str, Any]:
    """Entity/document scores of a packaged model on records, with its thresholds applied."""
    from training.evaluate import score_documents

    scored = predict_spans(model_dir, [r["text"] for r in records])
    kept = [[s for s in doc if s["score"] >= thresholds.get(s["label"], 0.5)] for doc in scored]
    return score_documents(records, kept).as_dict() | _codename_false_positives(records, kept)


def _codename_false_positives(
    records: Sequence[Mapping[str, Any]], predicted: Sequence[Sequence[Mapping[str, Any]]]
) -> dict[str, int]:
    """Documents without a gold CODENAME in which something was still flagged CODENAME."""
    clean = [
        (r, p)
        for r, p in zip(records, predicted, strict=True)
        if not any(s["label"] == "CODENAME" for s in r["spans"])
    ]
    return {
        "docs_without_codename": len(clean),
        "codename_false_positive_docs": sum(any(s["label"] == "CODENAME" for s in p) for _, p in clean),
    }


def evaluate_guard(
    model_dir: Path, records: Sequence[Mapping[str, Any]], thresholds: Mapping[str, float], *, domain: Path
) -> dict[str, Any]:
    """Scores of the whole product (model + detectors + domain pack + default policy) on records."""
    from guard import Guard
    from training.evaluate import score_documents, spans_of

    del thresholds  # the model's manifest carries them; Guard applies them itself
    guard = Guard.load(model=model_dir, domains=[domain])
    predicted = spans_of(guard.scan_many([r["text"] for r in records]))
    return score_documents(records, predicted).as_dict() | _codename_false_positives(records, predicted)


def evaluate_real_text(
    model_dir: Path, records: Sequence[Mapping[str, Any]], *, domain: Path | None = None
) -> dict[str, Any]:
    """`training.realtext.evaluate.real_text_report` of the whole product on real records."""
    from guard import Guard
    from training.evaluate import spans_of
    from training.realtext.evaluate import real_text_report

    guard = Guard.load(model=model_dir, domains=[domain] if domain else [])
    results = guard.scan_many([r["text"] for r in records])
    return real_text_report(records, spans_of(results), [r.verdict for r in results])


def _real_text_note(folder: Path | None) -> str:
    if folder is None:
        return "none"
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return folder.name
    meta = json.loads(manifest.read_text())
    counts = {split: sum(c.values()) for split, c in meta.get("records", {}).items()}
    return (
        f"`guard corpus` ({len(meta.get('packages', {}))} packages, {len(meta.get('sources', {}))} sources, "
        f"seed {meta.get('seed')}): " + ", ".join(f"{k} {v} records" for k, v in counts.items())
    )


def _dev_temperature(model_dir: Path, dev: Sequence[Mapping[str, Any]], cfg: PipelineConfig) -> float:
    """Fit the softmax temperature on the exported (possibly int8) graph: calibrate what ships."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    from training.calibrate import fit_temperature
    from training.features import IGNORE_INDEX, tag_tokens

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    session = ort.InferenceSession(str(model_dir / "model.onnx"), providers=["CPUExecutionProvider"])
    tag2id = {tag: i for i, tag in enumerate(TAGS)}
    cls_id, sep_id = tok.token_to_id("<s>"), tok.token_to_id("</s>")
    logits, labels = [], []
    for record in dev[:1000]:
        enc = tok.encode(record["text"], add_special_tokens=False)
        ids = enc.ids[: cfg.max_length - 2]
        lab = np.array(tag_tokens(record["text"], enc.offsets, record["spans"], tag2id)[: cfg.max_length - 2])
        feed = np.array([[cls_id, *ids, sep_id]], dtype=np.int64)
        out = session.run(None, {"input_ids": feed, "attention_mask": np.ones_like(feed)})[0][0, 1:-1]
        keep = lab != IGNORE_INDEX
        logits.append(out[keep])
        labels.append(lab[keep])
    return fit_temperature(np.concatenate(logits), np.concatenate(labels))


def package(cfg: PipelineConfig, torch_dir: Path, data: Mapping[str, Path], command: str) -> Path:
    """Export, quantize, calibrate, evaluate and document the model into ``cfg.output``."""
    from training.calibrate import choose_thresholds
    from training.export import export_model_dir, write_manifest
    from training.model_card import write_model_card

    dev, test = load_records([data["dev"]]), load_records([data["test"]])
    out = cfg.output
    if out.exists():
        shutil.rmtree(out)
    report = export_model_dir(
        torch_dir,
        out,
        validation_texts=[r["text"] for r in dev[:32]],
        max_length=cfg.max_length,
        quantize=cfg.quantize,
    )
    temperature = _dev_temperature(out, dev, cfg)
    base_name = json.loads((torch_dir / "config.json").read_text()).get("_name_or_path", cfg.base_model)
    meta = {
        "name": cfg.name,
        "version": cfg.version,
        "base_model": cfg.base_model,
        "max_length": cfg.max_length,
        "stride": cfg.stride,
        "temperature": temperature,
    }
    write_manifest(out, thresholds={label: 0.5 for label in LABELS}, metrics={}, export=report, **meta)
    scored = predict_spans(out, [r["text"] for r in dev])
    thresholds = choose_thresholds(dev, scored, LABELS)
    # the product evaluations below load the model as Guard does, thresholds from its manifest
    write_manifest(out, thresholds=thresholds, metrics={}, export=report, **meta)
    evaluations = {
        "held-out generator split (templates and seeds unseen in training)": evaluate_model_dir(
            out, test, thresholds
        )
    }
    if "domain_test" in data and cfg.domain is not None:
        domain_test = load_records([data["domain_test"]])
        evaluations["held-out domain split (model only)"] = evaluate_model_dir(out, domain_test, thresholds)
        evaluations["held-out domain split (guard with the domain pack)"] = evaluate_guard(
            out, domain_test, thresholds, domain=cfg.domain
        )
    regression = _regression_gate(cfg, evaluations, data)
    real_text: dict[str, Any] = {}
    gate: dict[str, Any] | None = None
    if "real_test" in data:
        real_records = load_records([data["real_test"]])
        real_text = {
            "held-out real text (guard: model + detectors, default policy)": evaluate_real_text(
                out, real_records, domain=cfg.domain
            )
        }
        gate = _precision_gate(cfg, real_text, real_records)
    metrics = (
        {"heldout": evaluations, "real_text": real_text}
        | ({"precision_gate": gate} if gate else {})
        | ({"regression_gate": regression} if regression else {})
    )
    manifest_path = write_manifest(out, thresholds=thresholds, metrics=metrics, export=report, **meta)
    config = json.loads((torch_dir / "config.json").read_text())
    write_model_card(
        out,
        manifest=json.loads(manifest_path.read_text()),
        data={
            "train records": sum(1 for _ in load_records([data["train"]])),
            "dev records": len(dev),
            "test records": len(test),
            "domain pack": cfg.domain.name if cfg.domain else "none",
            "real text": _real_text_note(cfg.real_text),
        },
        real_text=real_text,
        evaluations=evaluations,
        training={
            "base": base_name,
            "layers": config.get("num_hidden_layers"),
            "vocabulary": config.get("vocab_size"),
            "epochs": cfg.epochs,
            "batch size": cfg.batch_size,
            "learning rate": cfg.learning_rate,
            "seed": cfg.seed,
            "distilled": cfg.distill or cfg.teacher is not None,
        },
        limits=[
            (
                "Trained on guard's generator and on real text from package registries (`guard corpus`); "
                if cfg.real_text
                else "Trained on synthetic text from guard's generator; "
            )
            + "hand-written text is harder (see bench/results/realistic_dev.md).",
            "Character spans come from token boundaries; in CJK text a span may include or miss "
            "one character when a token straddles the boundary.",
            "CODENAME and CUSTOMER need a company domain pack and `guard train --domain` "
            "to know the company's names.",
        ],
        command=command,
    )
    reasons = []
    if gate and not gate["passed"]:
        reasons.append(
            f"the model puts a finding on {gate['model_rate'] * 100:.1f} % of held-out harmless "
            f"real paragraphs, the model it started from ({gate['baseline']}) on "
            f"{gate['baseline_rate'] * 100:.1f} %"
        )
    if regression and not regression["passed"]:
        reasons.append(
            f"on the company's held-out domain split its micro F1 is {regression['model_f1']:.3f}, the "
            f"model it started from ({regression['baseline']}) {regression['baseline_f1']:.3f}:\n"
            + regression["table"]
        )
    if reasons:
        rejected = out.with_name(out.name + ".rejected")
        shutil.rmtree(rejected, ignore_errors=True)
        out.rename(rejected)
        raise ShipRejected(f"not shipped: {'; '.join(reasons)}; the model is in {rejected} for inspection")
    return out


#: How much micro F1 a company model may lose on its own held-out split against its starting model.
REGRESSION_TOLERANCE = 0.01


def _regression_gate(
    cfg: PipelineConfig, evaluations: Mapping[str, Any], data: Mapping[str, Path]
) -> dict[str, Any] | None:
    """A company model against its starting model on the company's held-out domain split (the product,
    with the domain pack), label by label; it passes unless micro F1 drops by more than the tolerance."""
    baseline = _baseline_model(cfg)
    ours = evaluations.get("held-out domain split (guard with the domain pack)")
    if cfg.domain is None or baseline is None or ours is None or "domain_test" not in data:
        return None
    theirs = evaluate_guard(baseline, load_records([data["domain_test"]]), {}, domain=cfg.domain)
    rows = ["label          model F1  baseline F1"]
    for label in sorted(set(ours["by_label"]) | set(theirs["by_label"])):
        a = ours["by_label"].get(label, {}).get("f1", 0.0)
        b = theirs["by_label"].get(label, {}).get("f1", 0.0)
        rows.append(f"{label:<14} {a:8.3f}  {b:11.3f}")
    rows.append(f"{'micro':<14} {ours['micro']['f1']:8.3f}  {theirs['micro']['f1']:11.3f}")
    table = "\n".join(rows)
    log.info("regression gate on the held-out domain split:\n%s", table)
    return {
        "baseline": json.loads((baseline / "guard_model.json").read_text()).get("version", baseline.name),
        "model_f1": ours["micro"]["f1"],
        "baseline_f1": theirs["micro"]["f1"],
        "table": table,
        "passed": ours["micro"]["f1"] >= theirs["micro"]["f1"] - REGRESSION_TOLERANCE,
    }


def _baseline_model(cfg: PipelineConfig) -> Path | None:
    if cfg.baseline_model is not None:
        return cfg.baseline_model
    defaults = (DEFAULT_TORCH_DIR.resolve(), DEFAULT_TORCH_CACHE.resolve())
    if cfg.from_model and Path(cfg.from_model).resolve() in defaults:
        from guard.model import default_model_path

        return default_model_path()
    return None


def _precision_gate(
    cfg: PipelineConfig, real_text: Mapping[str, Any], records: Sequence[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """For a company model: its harmless-real-text finding rate against its starting model's.

    Both run as the product does (detectors, default policy, the company's domain pack) on the same
    held-out real paragraphs.
    """
    baseline = _baseline_model(cfg)
    if cfg.domain is None or baseline is None:
        return None
    ours = next(iter(real_text.values()))["harmless"]["all"]["flagged"]
    theirs = evaluate_real_text(baseline, records, domain=cfg.domain)
    base = theirs["harmless"]["all"]["flagged"]
    return {
        "baseline": json.loads((baseline / "guard_model.json").read_text()).get("version", baseline.name),
        "model_rate": ours["rate"],
        "baseline_rate": base["rate"],
        "paragraphs": ours["n"],
        "passed": ours["count"] <= base["count"],
    }


def company_corpus(cfg: PipelineConfig) -> Path:
    """The real-text corpus of a company model: the pack's languages, built once into the work dir.

    Raises:
        DataError: no real text could be built (the registries unreachable and nothing cached).
    """
    from guard.detect.domain import load_domain_pack
    from training.data.errors import DataError
    from training.realtext.build import DEFAULT_CACHE, LANGS, build

    assert cfg.domain is not None
    folder = cfg.work_dir / "realtext"
    if (folder / "manifest.json").exists():
        return folder
    pack = load_domain_pack(cfg.domain)
    langs = [lang for lang in pack.company.languages if lang in LANGS] or ["en"]
    manifest = build(
        folder, DEFAULT_CACHE, sizes={"train": 3000, "dev": 500, "test": 1500}, seed=cfg.seed, langs=langs
    )
    if not manifest["records"].get("train"):
        shutil.rmtree(folder, ignore_errors=True)
        raise DataError(
            "no real text for the company model: "
            + "; ".join(manifest["missing"][:3])
            + " (build one with `guard corpus` and pass --real-text)",
            str(DEFAULT_CACHE),
        )
    return folder


def run(cfg: PipelineConfig, command: str) -> Path:
    """The whole job: data, base, fine-tune (and distil), package.

    With ``cfg.export_only`` the torch weights of ``cfg.from_model`` are packaged as they are
    (export, quantize, calibrate, evaluate, card): how an export change reaches the shipped model
    without retraining it.

    A company model (``cfg.domain``) mixes in real harmless text of the pack's languages (built
    into the work dir unless ``cfg.real_text`` is given) and is not shipped when it flags more of
    the held-out harmless paragraphs than the model it started from.

    Raises:
        ShipRejected: the company model is less precise on real text than its starting model.
    """
    cfg.work_dir.mkdir(parents=True, exist_ok=True)
    if cfg.export_only and not cfg.from_model:
        raise ValueError("export_only needs from_model (the trained torch weights to package)")
    if cfg.domain is not None and cfg.real_text is None and not cfg.export_only:
        cfg.real_text = company_corpus(cfg)  # a company model always reads real harmless text
    data = prepare_data(cfg)
    if cfg.export_only:
        assert cfg.from_model is not None
        return package(cfg, Path(cfg.from_model), data, command)
    teacher_base: Path
    student_base: Path | None = None
    if cfg.from_model:
        teacher_base = Path(cfg.from_model)
    else:
        corpus = [r["text"] for r in load_records([data["train"]])]
        teacher_base, student_base = prepare_base(cfg, corpus)
    torch_dir = train_models(cfg, data, teacher_base, student_base)
    return package(cfg, torch_dir, data, command)
