from domain.shared import Conflict, DomainError


class EmailAlreadyRegistered(Conflict):
    def __init__(self) -> None:
        super().__init__("A user with this email already exists.")


class InvalidCredentials(DomainError):
    title = "Invalid credentials"

    def __init__(self) -> None:
        super().__init__("The email or password is incorrect.")
