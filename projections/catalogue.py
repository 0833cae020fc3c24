from projections.agents.projector import projection as agents
from projections.audit.projector import projection as audit
from projections.base import Projection
from projections.contacts.projector import projection as contacts
from projections.integrations.projector import projection as integrations
from projections.ledger.projector import projection as ledger
from projections.security.projector import projection as security
from projections.users.projector import projection as users
from projections.workflows.projector import projection as workflows
from projections.workspaces.projector import projection as workspaces

PROJECTIONS: dict[str, Projection] = {
    p.name: p
    for p in (
        users,
        workspaces,
        ledger,
        contacts,
        workflows,
        security,
        agents,
        integrations,
        audit,
    )
}
