"""``flask ptsp ...`` commands: load processes, seed demo data, create users."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from engine.accounts import users
from engine.accounts.models import User
from engine.core.errors import EngineError, ValidationFailed
from engine.core.localtime import Phrase
from engine.core.roles import ADMIN

from .extensions import db
from .seeding import DEMO_PASSPHRASE, DEMO_SIGNERS, DEMO_USERS, load_processes, seed_demo
from .services import services

group = AppGroup("ptsp", help="Perintah pengelolaan PTSP-el.")


def _commit_or_fail(action):
    """Run one command's work in one transaction; an engine error aborts it with its message."""
    try:
        result = action()
        db.session.commit()
        return result
    except EngineError as exc:
        db.session.rollback()
        details = getattr(exc, "errors", None)
        raise click.ClickException(f"{exc} {details}" if details else str(exc)) from None


def init_installation(email: str, name: str, password: str) -> User:
    """A real installation: the permit types of ``processes/`` and exactly one administrator, no
    demo accounts. Refused once any account exists (it is for an empty database)."""
    if db.session.scalar(select(User.id).limit(1)) is not None:
        raise ValidationFailed(
            Phrase("Basis data ini sudah berisi akun; init hanya untuk instalasi baru."),
            {"email": Phrase("Sudah ada akun.")},
        )
    load_processes()
    return users.create_user(db.session, None, name=name, email=email, password=password, roles=[ADMIN])


@group.command("init")
@click.option("--email", envvar="PTSP_ADMIN_EMAIL", prompt="Email administrator")
@click.option("--name", envvar="PTSP_ADMIN_NAME", prompt="Nama administrator")
@click.option(
    "--password", envvar="PTSP_ADMIN_PASSWORD", prompt="Kata sandi", hide_input=True, confirmation_prompt=True
)
def init_command(email, name, password):
    """Prepare a new installation: permit types and the first administrator, without demo data
    (values from PTSP_ADMIN_EMAIL, PTSP_ADMIN_NAME, PTSP_ADMIN_PASSWORD, or asked)."""
    _commit_or_fail(lambda: init_installation(email, name, password))
    click.echo(f"Instalasi siap: administrator {email}; tanpa akun demo.")


@group.command("audit-verify")
def audit_verify_command():
    """Seal what is not yet chained, then walk the audit chain; exit 1 at the first broken link."""
    from engine.core import audit

    _commit_or_fail(lambda: audit.seal(db.session))
    report = audit.verify(db.session)
    click.echo(f"{report.sealed} baris tersegel dalam rantai; {report.unsealed} belum; kepala rantai {report.head}.")
    if not report.intact:
        raise click.ClickException(f"Jejak audit RUSAK: {report.problem}.")
    click.echo("Jejak audit utuh.")


@group.command("backup")
@click.option("--dir", "target_dir", default=None, help="folder for the archive (default: BACKUP_DIR)")
def backup_command(target_dir):
    """Write one archive of the whole installation: database, archived files, PKI and secret keys
    (encrypted with BACKUP_KEY); then prune old archives."""
    from pathlib import Path

    from . import backups
    from .scheduler import _revision

    app = current_app._get_current_object()
    where = backups.Installation.of(app, db.engine)
    folder = Path(target_dir or app.config["BACKUP_DIR"])
    try:
        target = backups.backup(where, folder, app.config.get("BACKUP_KEY"), db.session, _revision())
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    removed = backups.prune(folder)
    click.echo(f"Cadangan {target} dibuat ({target.stat().st_size // 1024} KB); {len(removed)} cadangan lama dihapus.")
    if not app.config.get("BACKUP_KEY"):
        click.echo("PERINGATAN: BACKUP_KEY tidak diatur, PKI dan kunci rahasia TIDAK ikut dicadangkan.", err=True)


@group.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
def restore_command(archive):
    """Restore an archive into this installation's (empty) database and file store, check every
    member and every archived file, and bring the schema up to date."""
    from pathlib import Path

    from flask_migrate import upgrade
    from sqlalchemy.orm import Session

    from . import backups

    app = current_app._get_current_object()
    where = backups.Installation.of(app, db.engine)
    try:
        report = backups.restore(
            Path(archive), where, db.engine, app.config.get("BACKUP_KEY"), lambda: Session(db.engine)
        )
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    upgrade(directory=app.extensions["migrate"].directory)
    click.echo(
        f"Dipulihkan: basis data {report.database}, {report.files} berkas arsip, "
        f"PKI dan kunci rahasia {'ya' if report.secrets else 'TIDAK (cadangan tanpa BACKUP_KEY)'}."
    )
    if report.problems:
        for line in report.problems:
            click.echo(line, err=True)
        raise click.ClickException(f"{len(report.problems)} berkas arsip hilang atau rusak setelah pemulihan.")
    click.echo("Semua berkas arsip lengkap dan utuh. Mulai ulang aplikasi agar memakai PKI yang dipulihkan.")


@group.command("check-archive")
def check_archive_command():
    """Read every archived file the database names; list those missing or changed; exit 1 if any."""
    from engine.documents.archive_check import check_archive

    found = 0
    for problem in check_archive(db.session, services().files):
        found += 1
        named = (
            ", ".join(
                f"{kind} {number or ''} (dokumen {doc_id})".replace("  ", " ")
                for doc_id, kind, number in problem.documents
            )
            or "tidak dipakai dokumen"
        )
        click.echo(f"{problem.problem.upper()} {problem.sha256}: {named}")
    if found:
        raise click.ClickException(f"{found} berkas arsip hilang atau rusak; pulihkan dari cadangan.")
    click.echo("Semua berkas arsip lengkap dan utuh.")


@group.command("load-processes")
def load_processes_command():
    """Publish every processes/<type>/ bundle (a changed bundle becomes a new version)."""
    count = _commit_or_fail(load_processes)
    click.echo(f"{count} jenis izin dimuat.")


@group.command("seed-demo")
def seed_demo_command():
    """Load processes and create one demo account per role (idempotent)."""
    created = _commit_or_fail(seed_demo)
    click.echo(f"Data demo siap; akun baru: {', '.join(created) or 'tidak ada'}.")


@group.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, required=True)
@click.password_option()
def create_user_command(email, name, roles, password):
    """Create an account (for the first administrator of a new installation)."""
    _commit_or_fail(
        lambda: users.create_user(db.session, None, name=name, email=email, password=password, roles=list(roles))
    )
    click.echo(f"Akun {email} dibuat.")


@group.command("signing-simulator")
@click.option("--port", default=8089, show_default=True)
def signing_simulator_command(port):
    """Run the local BSrE-like signing service (for SIGNING_PROVIDER=remote in development).

    The demo signers are registered with their NIK and the demo passphrase.
    """
    from werkzeug.serving import run_simple

    from signing.simulator import create_simulator

    signers = {
        extra["nik"]: (name, DEMO_PASSPHRASE) for email, name, _roles, extra in DEMO_USERS if email in DEMO_SIGNERS
    }
    directory = Path(current_app.instance_path) / "bsre-simulator"
    simulator = create_simulator(directory, signers, base_url=f"http://127.0.0.1:{port}")
    click.echo(f"Simulator layanan TTE di http://127.0.0.1:{port} (akar CA: {directory / 'ca.pem'}).")
    run_simple("127.0.0.1", port, simulator, threaded=True)


@group.command("agency-simulator")
@click.option("--port", default=5011, show_default=True)
@click.option(
    "--callback",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="The app's address, where the bank posts payment notifications.",
)
def agency_simulator_command(port, callback):
    """Run the local stand-ins for other agencies and the bank (Dukcapil, OSS, DJP, AHU, BPJS, bank
    virtual accounts and QRIS) with their demo data and failure modes."""
    from werkzeug.serving import run_simple

    from simulators.agencies import SimulatorState, create_simulator

    click.echo(f"Simulator layanan instansi di http://127.0.0.1:{port} (/dukcapil, /oss, /djp, /ahu, /bpjs, /bank).")
    run_simple("127.0.0.1", port, create_simulator(SimulatorState(callback_url=callback)), threaded=True)


@group.command("message-simulator")
@click.option("--port", default=5012, show_default=True)
@click.option("--smtp-port", default=2525, show_default=True)
@click.option(
    "--callback",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="The app's address, where the SMS gateway posts the messages people text in.",
)
def message_simulator_command(port, smtp_port, callback):
    """Run the local stand-ins for the notices' channels: an SMTP mail sink, an SMS and a WhatsApp
    gateway, and one page showing everything sent (/_sim/pesan)."""
    from werkzeug.serving import run_simple

    from simulators.messaging import MailSink, MessagingState, create_simulator

    state = MessagingState(callback_url=callback)
    sink = MailSink(state, port=smtp_port).start()
    click.echo(
        f"Simulator pesan: SMTP di 127.0.0.1:{smtp_port}, gateway SMS/WhatsApp dan daftar pesan di "
        f"http://127.0.0.1:{port}/_sim/pesan"
    )
    try:
        run_simple("127.0.0.1", port, create_simulator(state), threaded=True)
    finally:
        sink.stop()


@group.command("sla-sweep")
@click.option("--now", "now_text", default=None, help="ISO instant (for tests and replays); default: now")
def sla_sweep_command(now_text):
    """One pass of the sweep: due timers, stage deadlines, warnings and escalations, each once."""
    from datetime import datetime

    from .scheduler import sweep_once

    now = datetime.fromisoformat(now_text) if now_text else None
    click.echo(str(sweep_once(current_app._get_current_object(), now)))


@group.command("scheduler")
def scheduler_command():
    """Run the scheduler (SLA sweep every minute, nightly backup) in this process."""
    from .logs import configure
    from .scheduler import run

    configure(current_app.config["LOG_FORMAT"])
    run(current_app._get_current_object())


def register(app):
    app.cli.add_command(group)
