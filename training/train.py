"""Fine-tune an encoder as a guard token classifier (optionally distilling from a teacher).

Follows transformers' run_ner example, split into named steps: arguments are a dataclass
parsed by `HfArgumentParser`, `set_seed` is called, the label map is written into the
config, continuation sub-tokens are ignored in the loss (-100) and metrics are seqeval
entity-level scores. Checkpoints go to ``output_dir`` (keep it outside the work tree) and
a run resumes from the last checkpoint there.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F
from transformers import (
    AutoModelForTokenClassification,
    AutoTokenizer,
    DataCollatorForTokenClassification,
    PreTrainedModel,
    Trainer,
    TrainerCallback,
    TrainingArguments,
    set_seed,
)
from transformers.trainer_utils import get_last_checkpoint

from training.features import IGNORE_INDEX, TAGS, encode_example

__all__ = ["FinetuneArguments", "build_model", "encode_records", "finetune", "seqeval_metrics"]

log = logging.getLogger(__name__)


@dataclass
class FinetuneArguments:
    """What to train, on what, and how long."""

    base_model: str = field(
        metadata={"help": "HF model directory (see training.base_models.resolve_base_model)"}
    )
    output_dir: str = field(
        metadata={"help": "checkpoints and final torch model; keep outside the work tree"}
    )
    max_length: int = field(default=256, metadata={"help": "window length in tokens, specials included"})
    stride: int = field(default=64, metadata={"help": "overlap between training windows"})
    epochs: float = 3.0
    max_steps: int = -1
    learning_rate: float = 5e-5
    batch_size: int = 16
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    seed: int = 13
    freeze_embeddings: bool = field(
        default=False, metadata={"help": "freeze word embeddings (faster on CPU)"}
    )
    teacher: str | None = field(default=None, metadata={"help": "trained guard torch model to distil from"})
    distill_alpha: float = 0.7
    distill_temperature: float = 2.0
    max_seconds: float | None = field(
        default=None, metadata={"help": "stop training (and save) after this time"}
    )
    save_steps: int = 500
    logging_steps: int = 50
    num_workers: int = 0


def encode_records(
    records: Sequence[Mapping[str, Any]], tokenizer: Any, args: FinetuneArguments
) -> list[dict[str, list[int]]]:
    """Tokenize and window all records into model features."""
    tag2id = {tag: i for i, tag in enumerate(TAGS)}
    features: list[dict[str, list[int]]] = []
    for record in records:
        for window in encode_example(
            tokenizer,
            record["text"],
            record["spans"],
            tag2id=tag2id,
            max_length=args.max_length,
            stride=args.stride,
        ):
            features.append(
                {
                    "input_ids": window.input_ids,
                    "attention_mask": [1] * len(window.input_ids),
                    "labels": window.labels,
                }
            )
    return features


def build_model(base_model: str, *, freeze_embeddings: bool = False) -> PreTrainedModel:
    """Load the encoder with a fresh (or matching) token-classification head and our label map."""
    id2label = dict(enumerate(TAGS))
    model = AutoModelForTokenClassification.from_pretrained(
        base_model,
        num_labels=len(TAGS),
        id2label=id2label,
        label2id={tag: i for i, tag in id2label.items()},
        ignore_mismatched_sizes=True,
        dtype=torch.float32,
    )
    if freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    return model


def seqeval_metrics(eval_pred: Any) -> dict[str, float]:
    """Entity-level precision/recall/F1 over word-start tokens (seqeval, strict BIO off)."""
    from seqeval.metrics import classification_report

    logits, labels = eval_pred
    preds = np.argmax(logits, axis=-1)
    y_true: list[list[str]] = []
    y_pred: list[list[str]] = []
    for pred_row, label_row in zip(preds, labels, strict=True):
        keep = label_row != IGNORE_INDEX
        y_true.append([TAGS[i] for i in label_row[keep]])
        y_pred.append([TAGS[i] for i in pred_row[keep]])
    report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    metrics = {
        "precision": report["micro avg"]["precision"],
        "recall": report["micro avg"]["recall"],
        "f1": report["micro avg"]["f1-score"],
    }
    for label, row in report.items():
        if label.isupper():
            metrics[f"f1_{label}"] = row["f1-score"]
    return metrics


class TimeLimit(TrainerCallback):
    """Stop training cleanly once a wall-clock budget is spent (the model is still saved)."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
        if time.monotonic() > self.deadline:
            log.warning("time budget spent at step %d: stopping", state.global_step)
            control.should_training_stop = True
        return control


class DistillTrainer(Trainer):
    """Trainer whose loss mixes cross-entropy with a KL term towards a teacher's soft tags."""

    def __init__(self, *args: Any, teacher: PreTrainedModel, alpha: float, temperature: float, **kw: Any):
        super().__init__(*args, **kw)
        self.teacher = teacher.eval()
        self.alpha = alpha
        self.temperature = temperature

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):  # type: ignore[no-untyped-def]
        outputs = model(**inputs)
        with torch.no_grad():
            teacher_logits = self.teacher(
                input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"]
            ).logits
        keep = inputs["labels"] != IGNORE_INDEX
        t = self.temperature
        kl = F.kl_div(
            F.log_softmax(outputs.logits[keep] / t, dim=-1),
            F.softmax(teacher_logits[keep] / t, dim=-1),
            reduction="batchmean",
        ) * (t * t)
        loss = (1 - self.alpha) * outputs.loss + self.alpha * kl
        return (loss, outputs) if return_outputs else loss


def _training_arguments(args: FinetuneArguments, has_dev: bool, n_windows: int) -> TrainingArguments:
    cuda = torch.cuda.is_available()
    return TrainingArguments(
        output_dir=args.output_dir,
        num_train_epochs=args.epochs,
        max_steps=args.max_steps,
        learning_rate=args.learning_rate,
        per_device_train_batch_size=args.batch_size,
        per_device_eval_batch_size=args.batch_size * 2,
        weight_decay=args.weight_decay,
        warmup_steps=int(args.warmup_ratio * steps_for(n_windows, args)),
        lr_scheduler_type="linear",
        eval_strategy="epoch" if has_dev else "no",
        save_strategy="steps",
        save_steps=args.save_steps,
        save_total_limit=2,
        logging_steps=args.logging_steps,
        seed=args.seed,
        bf16=cuda and torch.cuda.is_bf16_supported(),
        dataloader_num_workers=args.num_workers,
        dataloader_pin_memory=cuda,
        report_to="none",
        disable_tqdm=False,
    )


def finetune(
    args: FinetuneArguments,
    train_records: Sequence[Mapping[str, Any]],
    dev_records: Sequence[Mapping[str, Any]] = (),
) -> Path:
    """Train, save the final model + tokenizer into ``<output_dir>/final`` and return that path."""
    set_seed(args.seed)
    tokenizer = AutoTokenizer.from_pretrained(args.base_model)
    if not getattr(tokenizer, "is_fast", False):
        raise ValueError(f"{args.base_model}: a fast tokenizer (tokenizer.json) is required for offsets")
    model = build_model(args.base_model, freeze_embeddings=args.freeze_embeddings)
    train_features = encode_records(train_records, tokenizer, args)
    dev_features = encode_records(dev_records, tokenizer, args) if dev_records else None
    log.info("training windows: %d, dev windows: %d", len(train_features), len(dev_features or []))
    targs = _training_arguments(args, dev_features is not None, len(train_features))
    common: dict[str, Any] = {
        "model": model,
        "args": targs,
        "train_dataset": train_features,
        "eval_dataset": dev_features,
        "data_collator": DataCollatorForTokenClassification(tokenizer, label_pad_token_id=IGNORE_INDEX),
        "compute_metrics": seqeval_metrics,
        "callbacks": [TimeLimit(args.max_seconds)] if args.max_seconds else None,
    }
    if args.teacher:
        teacher = AutoModelForTokenClassification.from_pretrained(args.teacher, dtype=torch.float32)
        teacher.to(cuda_device() or torch.device("cpu"))
        trainer: Trainer = DistillTrainer(
            **common, teacher=teacher, alpha=args.distill_alpha, temperature=args.distill_temperature
        )
    else:
        trainer = Trainer(**common)
    last = get_last_checkpoint(args.output_dir) if Path(args.output_dir).is_dir() else None
    if last:
        log.info("resuming from %s", last)
    trainer.train(resume_from_checkpoint=last)
    if dev_features is not None:
        metrics = trainer.evaluate()
        log.info("dev metrics: %s", {k: round(v, 4) for k, v in metrics.items() if isinstance(v, float)})
    final = Path(args.output_dir) / "final"
    trainer.save_model(str(final))
    tokenizer.save_pretrained(str(final))
    return final


def cuda_device() -> torch.device | None:
    return torch.device("cuda") if torch.cuda.is_available() else None


def steps_for(n_windows: int, args: FinetuneArguments) -> int:
    """Optimizer steps a run will take (for planning and progress)."""
    if args.max_steps > 0:
        return args.max_steps
    return math.ceil(n_windows / args.batch_size) * math.ceil(args.epochs)
