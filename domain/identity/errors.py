from domain.shared import Conflict, DomainError


class EmailAlreadyRegistered(Conflict):
    def __init__(self) -> None:
        super().__init__("A user with this email already exists.")


class InvalidCredentials(DomainError):
    title = "Invalid credentials"

    def __init__(self) -> None:
        super().__init__("The email or password is incorrect.")


class TooManyLoginAttempts(DomainError):
    title = "Too many login attempts"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("Too many failed logins for this account; try again later.")
        self.retry_after_seconds = retry_after_seconds
