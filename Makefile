# The two commands of the README: `make run` and `make test`. Only python3 (with venv) and make needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install translations extract-messages lint bench

run: install translations
	$(FLASK) db upgrade
	$(FLASK) bootstrap
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install translations
	$(BIN)/python -m pytest

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

translations: install
	$(BIN)/pybabel -q compile -d app/translations

# After changing UI strings: update the catalogues, then translate the new Dutch entries.
extract-messages: install
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -k Np_:1,2 -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(BIN)/pybabel -q update -N -i app/translations/messages.pot -d app/translations

lint: install
	$(BIN)/ruff check app crm demo mapping tests bench
	$(BIN)/ruff format --check app crm demo mapping tests bench

bench: install
	$(BIN)/python bench/actor_list.py
