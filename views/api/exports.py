"""`GET /api/v1/accounts/<id>/export.xlsx`: the account workbook the page gives, for scripts."""
from __future__ import annotations

from kb.db_reads import writes_on_get
from kb.services import accounts as service
from views.exports.routes import send_account_workbook

from . import bp
from .registry import operation
from .common import not_found

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/accounts/<int:account_id>/export.xlsx")
@writes_on_get
@operation("Download the account workbook",
           response={"type": "string", "contentMediaType": XLSX}, media=XLSX, tag="accounts")
def account_export(account_id: int):
    """The same workbook as `/accounts/<id>/export.xlsx` (what the caller may see), recorded; JSON 404."""
    account = service.get_account(account_id)
    if account is None:
        not_found()
    return send_account_workbook(account)
