from companion.extensions import db
from companion.models import Account, Clinic, Patient, ServiceClient


def test_create_clinic_makes_a_clinic_and_an_admin_who_can_sign_in(runner, client):
    result = runner.invoke(
        args=[
            "create-clinic",
            "--name",
            "Harbor Clinic",
            "--timezone",
            "Europe/London",
            "--admin-email",
            "Boss@Harbor.example",
            "--admin-name",
            "Boss",
            "--admin-password",
            "a solid passphrase 9",
        ]
    )
    assert result.exit_code == 0, result.output
    clinic = db.session.scalars(db.select(Clinic)).one()
    assert (clinic.name, clinic.timezone) == ("Harbor Clinic", "Europe/London")
    login = client.post("/v1/auth/login", json={"email": "boss@harbor.example", "password": "a solid passphrase 9"})
    assert login.get_json()["status"] == "signed_in"


def test_create_clinic_refuses_a_weak_password_and_a_bad_zone(runner):
    weak = runner.invoke(
        args=[
            "create-clinic",
            "--name",
            "X",
            "--admin-email",
            "a@x.example",
            "--admin-name",
            "A",
            "--admin-password",
            "password",
        ]
    )
    assert weak.exit_code != 0 and "password" in weak.output.lower()
    zone = runner.invoke(
        args=[
            "create-clinic",
            "--name",
            "X",
            "--timezone",
            "Nowhere/City",
            "--admin-email",
            "a@x.example",
            "--admin-name",
            "A",
            "--admin-password",
            "a solid passphrase 9",
        ]
    )
    assert zone.exit_code != 0 and "IANA" in zone.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Clinic)) == 0


def test_demo_creates_every_role_once_and_each_can_sign_in(runner, client):
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert first.exit_code == second.exit_code == 0
    assert "already exists" in second.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Account)) == 3
    assert db.session.scalar(db.select(db.func.count()).select_from(Patient)) == 1
    for email in ("admin@demo.example", "clinician@demo.example", "patient@demo.example"):
        login = client.post("/v1/auth/login", json={"email": email, "password": "demo-password-2026"})
        assert login.status_code == 200, email
    svc = db.session.scalars(db.select(ServiceClient)).one()
    grant = {
        "grant_type": "client_credentials",
        "client_id": svc.client_id,
        "client_secret": "demo-push-secret-2026",
    }
    assert client.post("/v1/auth/token", json=grant).status_code == 200


def test_setup_migrates_and_loads_content_idempotently(runner):
    first = runner.invoke(args=["setup"])
    second = runner.invoke(args=["setup"])
    assert first.exit_code == second.exit_code == 0
    assert "22 new" in first.output and "22 unchanged" in second.output
