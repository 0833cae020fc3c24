from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from commands.bus import CommandBus
from commands.context import Context
from commands.handlers import HANDLERS
from commands.identity.log_in import LogIn
from commands.identity.register_user import RegisterUser
from commands.identity.session import NewSession
from commands.identity.update_profile import UpdateProfile
from domain.identity.errors import EmailAlreadyRegistered, TooManyLoginAttempts
from domain.identity.roles import Psyche, Role
from domain.identity.user import PasswordHashSet, User
from domain.ledger.ledger import Ledger
from tests.unit.fakes import InMemoryEventStore

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def register_command(email: str = "Ann@Example.com") -> RegisterUser:
    return RegisterUser(
        user_id=uuid4(),
        workspace_id=uuid4(),
        grant_id=uuid4(),
        email=email,
        password="correct horse",
        workspace_name="Acme",
        psyche=Psyche.ZEN_ARCHITECT,
        agent_alias=None,
        what_must_end="procrastination",
        goal="ship",
        pulse_phase=1.25,
        session=new_session(),
    )


def new_session() -> NewSession:
    return NewSession(family_id=uuid4(), secret="s3cret")


def execute(store: InMemoryEventStore, command: object) -> object:
    bus = CommandBus(store, HANDLERS)  # type: ignore[arg-type]
    context = Context(
        workspace_id=None, actor_id=None, correlation_id=uuid4(), causation_id=uuid4(), now=NOW
    )
    return bus.execute_sync(command, context).result


def test_registration_records_owner_workspace_grant_and_pulse_together() -> None:
    store = InMemoryEventStore()
    command = register_command()
    execute(store, command)
    assert store.types() == [
        "EmailClaimed",
        "UserRegistered",
        "PasswordHashSet",
        "WorkspaceCreated",
        "MemberJoined",
        "CreditGranted",
        "PulseProfileCreated",
        "RefreshFamilyStarted",
    ]
    user = store.load(User, command.user_id)
    assert user.role is Role.ADMIN
    assert user.email == "ann@example.com"
    assert user.password_hash.startswith("$argon2id$")
    assert store.load(Ledger, Ledger.of(command.workspace_id).id).balance == Decimal(100)


def test_the_password_hash_is_declared_secret() -> None:
    assert PasswordHashSet.secret_fields == ("password_hash",)


def test_registering_an_email_twice_in_any_case_is_refused() -> None:
    store = InMemoryEventStore()
    execute(store, register_command("ann@example.com"))
    before = len(store.log)
    with pytest.raises(EmailAlreadyRegistered):
        execute(store, register_command("ANN@example.com "))
    assert len(store.log) == before


def test_login_with_the_right_password_records_the_login() -> None:
    store = InMemoryEventStore()
    command = register_command()
    execute(store, command)
    user = execute(
        store, LogIn(email="ann@EXAMPLE.com", password="correct horse", session=new_session())
    )
    assert isinstance(user, User)
    assert user.last_login_at == NOW
    assert store.types()[-2:] == ["UserLoggedIn", "RefreshFamilyStarted"]


@pytest.mark.parametrize(
    ("email", "password"),
    [("ann@example.com", "wrong password"), ("nobody@example.com", "correct horse")],
)
def test_login_fails_alike_for_a_wrong_password_and_an_unknown_email(
    email: str, password: str
) -> None:
    store = InMemoryEventStore()
    execute(store, register_command())
    assert execute(store, LogIn(email=email, password=password, session=new_session())) is None
    assert store.types()[-1] == "LoginFailed"


def test_changing_email_moves_the_claim() -> None:
    store = InMemoryEventStore()
    first = register_command("ann@example.com")
    execute(store, first)
    execute(store, UpdateProfile(user_id=first.user_id, changes={"email": "Ann@New.io"}))
    assert store.load(User, first.user_id).email == "ann@new.io"
    execute(store, register_command("ann@example.com"))
    with pytest.raises(EmailAlreadyRegistered):
        execute(store, register_command("ann@new.io"))


def test_five_failed_logins_lock_the_account_even_for_the_right_password() -> None:
    store = InMemoryEventStore()
    execute(store, register_command("ann@example.com"))
    for _ in range(5):
        failed = LogIn(email="ann@example.com", password="wrong password", session=new_session())
        assert execute(store, failed) is None
    right = LogIn(email="ann@example.com", password="correct horse", session=new_session())
    with pytest.raises(TooManyLoginAttempts) as locked:
        execute(store, right)
    assert locked.value.retry_after_seconds == 15 * 60
