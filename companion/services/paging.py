"""One page of a query and the total it was cut from."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from companion.extensions import db


def page_of(query: Select, *order_by, page: int, per_page: int) -> tuple[list, int]:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.execute(query.order_by(*order_by).limit(per_page).offset((page - 1) * per_page))
    # Whole entities for single-entity selects, row tuples otherwise.
    return (list(rows.scalars()) if len(query.column_descriptions) == 1 else list(rows.all())), total
