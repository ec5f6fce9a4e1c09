"""Access rules of employer relations (`can(user, "companies.edit", company)` in views and templates)."""

from portal.access import ADMIN, EMPLOYER, STAFF, rule


@rule("companies.edit")
def _edit_company(user, company):
    return user.role in STAFF


@rule("companies.read")
def _read_company(user, company):
    """The company's page: staff, and the employers of that company (its public profile)."""
    return user.role in STAFF or (user.role == EMPLOYER and company is not None and user.company_id == company.id)


@rule("companies.see_internal")
def _see_internal(user, company):
    """Notes, prospection, interactions and tasks are the Mission Locale's, never the employer's."""
    return user.role in STAFF


@rule("companies.edit_profile")
def _edit_profile(user, company):
    if user.role in STAFF:
        return True
    return user.role == EMPLOYER and company is not None and user.company_id == company.id


@rule("companies.merge")
def _merge(user, company):
    return user.role in STAFF


@rule("pipeline.edit_stages")
def _edit_stages(user, obj):
    return user.role == ADMIN
