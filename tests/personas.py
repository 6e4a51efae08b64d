"""The one cast of people every test of rights uses: who they are and what they hold.

Schools A and B are in authority 919 (Hertfordshire), C in 204; each persona's memberships are
stored as (role, urn, la_code). Store tests, page tests and the pure rules all act with these
same people, so a change of cast cannot make them disagree.
"""

from __future__ import annotations

from typing import NamedTuple

from quality_offer.permissions import Membership, User

ISS = "https://idp.example.test/tenant-1/v2.0"
A, B, C = "100001", "200002", "300003"
HERTS, OTHER = "919", "204"
LA_OF = {A: HERTS, B: HERTS, C: OTHER}
YEAR, NEXT = "2026/27", "2027/28"


class Persona(NamedTuple):
    subject: str
    name: str
    memberships: tuple[tuple[str, str | None, str | None], ...]

    def user(self) -> User:
        """The persona with exactly their stored memberships."""
        return User(issuer=ISS, subject=self.subject, name=self.name,
                    memberships=tuple(Membership(role=r, urn=u, la_code=la)
                                      for r, u, la in self.memberships))


PERSONAS: dict[str, Persona] = {
    "senco_a": Persona("sub-senco-a", "Sam SENCO of A", (("senco", A, None),)),
    "senco_b": Persona("sub-senco-b", "Bea SENCO of B", (("senco", B, None),)),
    "governor_a": Persona("sub-gov-a", "Gil Governor of A", (("governor", A, None),)),
    "head_a": Persona("sub-head-a", "Hana Head of A", (("headteacher", A, None),)),
    "adviser_919": Persona("sub-adv-919", "Ada Adviser 919", (("adviser", None, HERTS),)),
    "adviser_204": Persona("sub-adv-204", "Abe Adviser 204", (("adviser", None, OTHER),)),
    "admin": Persona("first-admin", "Ari Administrator", (("administrator", None, None),)),
    "outsider": Persona("sub-nobody", "Olu Outsider", ()),
}


def claiming(name: str) -> User:
    """The persona as a page would hold them: claiming every right, to show none is trusted.

    The store must look up the memberships stored now, so what the claim says never counts.
    """
    return User(issuer=ISS, subject=PERSONAS[name].subject, name=name,
                memberships=(Membership(role="administrator"),))
