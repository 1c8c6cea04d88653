# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app webapp

.PHONY: run serve test test-shifted setup setup-test lock messages docs db scheduler bench clean

# The whole tree is pinned in requirements/ (`make lock` writes it from pyproject.toml): what runs
# the app gets the runtime lock only; the tests add theirs.
$(VENV)/.installed: pyproject.toml requirements/run.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/run.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed requirements/test.txt
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

setup-test: setup $(VENV)/.test-installed

# Lock with the oldest Python the project runs on (Debian 12's python3, 3.11.2): a newer one may pin
# releases that refuse it.
LOCK := $(BIN)/pip-compile --quiet --no-header --no-emit-index-url --no-emit-find-links --strip-extras --allow-unsafe
lock: $(VENV)/.installed
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(LOCK) --upgrade-package ptsp-el -o requirements/run.txt pyproject.toml
	$(LOCK) --upgrade-package ptsp-el --extra test -o requirements/test.txt pyproject.toml

# The English catalog (webapp/translations/en, kept in git): messages new in the templates and the
# code are added, translated ones kept. The app compiles it into the instance folder when it starts.
messages: $(VENV)/.installed
	mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k Phrase --no-location --sort-output -w 100 -o build/messages.pot .
	test -f webapp/translations/en/LC_MESSAGES/messages.po || \
		$(BIN)/pybabel init -i build/messages.pot -d webapp/translations -l en
	$(BIN)/pybabel update -i build/messages.pot -d webapp/translations -l en --no-fuzzy-matching --ignore-pot-creation-date --ignore-obsolete -w 100

db: setup
	$(FLASK) db upgrade
	$(FLASK) ptsp seed-demo

# Development: the other agencies and the bank are the local simulators (flask ptsp agency-simulator);
# mail, SMS and WhatsApp go to the message simulator, which shows them at $(MSG)/_sim/pesan.
SIM := http://127.0.0.1:5011
MSG := http://127.0.0.1:5012
DEV_CONNECTORS := DUKCAPIL_URL=$(SIM)/dukcapil DUKCAPIL_USER_ID=ptsp DUKCAPIL_PASSWORD=rahasia \
	BANK_URL=$(SIM)/bank BANK_PARTNER_ID=PTSPKOTA BANK_PARTNER_SERVICE_ID=88899 BANK_SECRET=rahasia-bank \
	OSS_URL=$(SIM)/oss OSS_API_KEY=kunci-oss DJP_URL=$(SIM)/djp DJP_API_KEY=kunci-djp \
	AHU_URL=$(SIM)/ahu AHU_API_KEY=kunci-ahu BPJS_URL=$(SIM)/bpjs BPJS_API_KEY=kunci-bpjs \
	SMS_URL=$(MSG)/sms SMS_API_KEY=kunci-sms WHATSAPP_URL=$(MSG)/whatsapp WHATSAPP_API_KEY=kunci-whatsapp \
	MAIL_BACKEND=smtp SMTP_HOST=127.0.0.1 SMTP_PORT=2525 SMTP_STARTTLS=0

# The scheduler runs in a process of its own beside the web server (never inside web workers).
run: db
	$(FLASK) ptsp agency-simulator --callback http://127.0.0.1:5000 & sim=$$!; \
	$(FLASK) ptsp message-simulator --callback http://127.0.0.1:5000 & msg=$$!; \
	env $(DEV_CONNECTORS) $(FLASK) ptsp scheduler & sched=$$!; trap 'kill $$sim $$msg $$sched 2>/dev/null' EXIT INT TERM; \
	env $(DEV_CONNECTORS) $(FLASK) run --host 127.0.0.1 --port 5000

# Production: gunicorn with deploy/gunicorn.conf.py (no demo data; DATABASE_URL names the database),
# and the scheduler beside it.
serve: setup
	$(FLASK) db upgrade
	$(FLASK) ptsp scheduler & sched=$$!; trap 'kill $$sched 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py

# The architecture contracts (pyproject.toml, docs/architecture.md) and the linter first, then the
# suite. The suite uses its own database: SQLite in a temporary folder, or TEST_DATABASE_URL (whose
# name must say it is a test database); it never reads DATABASE_URL.
test: setup-test
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q

# The same tests with the machine clock a year and a day ahead (Debian package `faketime`): nothing
# may depend on today's date.
SHIFT ?= +366d
test-shifted: setup-test
	faketime -f "$(SHIFT)" $(BIN)/pytest -q

# The documentation site (mkdocs.yml): the manual's pictures are taken in the browser first, then
# the site is built into build/docs with every warning an error.
docs: setup-test
	$(BIN)/pytest -q -p no:cacheprovider tests/browser/test_manual_screens.py
	rm -rf docs/gambar && mkdir -p docs/gambar && cp test-artifacts/manual-*.png docs/gambar/
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

bench: setup-test
	$(BIN)/python bench/step_cost.py
	$(BIN)/python bench/loop_cost.py
	$(BIN)/python bench/sign_cost.py
	$(BIN)/python bench/sla_cost.py
	$(BIN)/python bench/inbox_cost.py
	$(BIN)/python bench/http_load.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache
