"""Theo dõi học tập: organiser and unit login, units import, the schedule proposed from the
plan (confirm/edit), unit reports, progress with drill-down, DOCX/XLSX results report.

Module-level Streamlit page script; everything it shows comes from ``app.tracking``.
"""
from __future__ import annotations

import streamlit as st

from app.tracking import access, campaign, export, units, views
from app.tracking import reports as rp
from app.tracking.db import Database, database_url, shared_db
from app.tracking.models import ACTION_NAMES, FORMS, LEVEL_NAMES, vietnam_time, vietnam_today
from app.tracking.progress import progress
from app.tracking.schedule import pick, plans
from app.web import flash
from app.web.render import escape_md, table_md
from app.web.resources import shared
from ingest.errors import HoctapError

ACTOR = "tracking_actor"
EDIT = "tracking_edit"  # (report id, version) being edited
PICK = "tracking_pick"  # the report the «Sửa báo cáo» box shows at the next run (after a save)
FLASH = "tracking_flash"


def _table(rows: list[dict[str, object]]) -> None:
    """``rows`` as a table; ``st.table`` reads cells as Markdown, so text is escaped first
    (a unit's name or a plan's «Thành phần» shows as typed)."""
    st.table(table_md(rows))


def _database(url: str) -> Database:
    """One migrated database per process and URL (``url`` names it)."""
    return shared_db(shared().settings)


def _flash(kind: str, text: str) -> None:
    flash.push(FLASH, kind, escape_md(text))


def _login(db: Database) -> access.Actor | None:
    actor = st.session_state.get(ACTOR)
    if actor is not None:
        c1, c2 = st.columns([3, 1])
        c1.caption(f"Đang đăng nhập: **{escape_md(actor.label)}**")
        if c2.button("Đăng xuất", key="tracking_logout"):
            for key in (ACTOR, EDIT, PICK, "t_codes", "t_trail"):
                st.session_state.pop(key, None)
            st.rerun()
        return actor
    role = st.radio("Vai trò", ["Đơn vị báo cáo", "Ban tổ chức"], horizontal=True,
                    key="tracking_role")
    if role == "Ban tổ chức" and not shared().settings.admin_password:
        # no password box that can only fail: say at once why, and what the installer sets
        st.info("Chưa đặt mật khẩu ban tổ chức (biến môi trường HOCTAP_ADMIN_PASSWORD) nên "
                "chưa đăng nhập được với vai trò này. Người cài đặt hoctap đặt biến đó rồi "
                "khởi động lại ứng dụng.")
        return None
    with st.form("tracking_login"):
        if role == "Ban tổ chức":
            secret = st.text_input("Mật khẩu ban tổ chức", type="password", key="t_org_pw")
            code = ""
        else:
            code = st.text_input("Mã đơn vị", key="t_unit_code")
            secret = st.text_input("Mã truy cập của đơn vị", type="password", key="t_unit_pw")
        if st.form_submit_button("Đăng nhập"):
            try:
                st.session_state[ACTOR] = (access.login_organiser(shared().settings, secret)
                                           if role == "Ban tổ chức"
                                           else access.login_unit(db, code, secret))
                st.rerun()
            except HoctapError as err:
                st.error(escape_md(str(err)))
    return None


def _units_tab(db: Database) -> None:
    st.markdown(f"Hiện có **{units.count_units(db)}** đơn vị.")
    st.caption(units.RULE)
    c1, c2 = st.columns(2)
    c1.download_button("Tải tệp mẫu (XLSX)", units.template("xlsx"), "mau-don-vi.xlsx",
                       key="t_tpl_xlsx")
    c2.download_button("Tải tệp mẫu (CSV)", units.template("csv"), "mau-don-vi.csv",
                       key="t_tpl_csv")
    limit = shared().settings.max_file_mb
    up = st.file_uploader(f"Nhập danh sách đơn vị (tệp CSV hoặc XLSX, tối đa {limit:g} MB)",
                          type=["csv", "xlsx"],
                          key=f"t_units_up_{st.session_state.get('t_up_round', 0)}")
    if up is not None and st.button("Nhập đơn vị", type="primary", key="t_import"):
        try:
            result = units.import_units(db, up.getvalue(), up.name)
            _flash("success", units.import_summary(result))
            st.session_state["t_up_round"] = st.session_state.get("t_up_round", 0) + 1
            st.rerun()
        except HoctapError as err:
            rows = getattr(err, "rows", None)
            st.error("Không nhập được tệp (không thay đổi gì):\n\n" + "\n".join(
                f"- {escape_md(r)}" for r in (rows or [str(err)])))
    with st.expander("Sửa tên đơn vị", key="t_rename"):
        code = st.text_input("Mã đơn vị", key="t_rename_code").strip()
        name = st.text_input("Tên mới", key="t_rename_name")
        if st.button("Lưu tên", key="t_rename_save") and code:
            try:
                units.rename_unit(db, code, name)
                _flash("success", f"Đã đổi tên đơn vị {code}.")
                st.rerun()
            except HoctapError as err:
                st.error(escape_md(str(err)))
    st.markdown("**Mã truy cập cho đơn vị** (chỉ hiện một lần; chỉ bản băm được lưu)")
    wanted = st.text_input("Mã đơn vị cần cấp mã (cách nhau bởi dấu phẩy; để trống: mọi đơn vị "
                           "chưa có mã)", key="t_codes_for")
    if st.button("Cấp mã truy cập", key="t_issue"):
        chosen = [c.strip() for c in wanted.split(",") if c.strip()] or None
        try:
            st.session_state["t_codes"] = access.issue_codes(db, chosen,
                                                             only_missing=chosen is None)
        except HoctapError as err:
            st.error(escape_md(str(err)))
    issued = st.session_state.get("t_codes")
    if issued:
        _table([{"Mã đơn vị": k, "Mã truy cập": v} for k, v in issued.items()])
        st.download_button("Tải danh sách mã (CSV)", "\n".join(
            f"{k},{v}" for k, v in issued.items()).encode("utf-8"), "ma-truy-cap.csv",
            key="t_codes_dl")


def _schedule_tab(db: Database, actor: access.Actor) -> None:
    try:
        current = campaign.get_campaign(db)
    except HoctapError:
        current = None
    if current is not None and current.confirmed:
        st.success(f"Lịch đã xác nhận: {escape_md(current.name)} "
                   f"({escape_md(current.period())}).")
        _table(views.schedule_rows(current.rows))
        with st.expander("Sửa lịch (hạn, thành phần)", key="t_edit_deadlines"):
            new = {r.level: (st.date_input(f"Hạn — {LEVEL_NAMES[r.level]}", r.deadline,
                                           format="DD/MM/YYYY", key=f"t_dl_{r.level}"),
                             st.text_input(f"Thành phần — {LEVEL_NAMES[r.level]}",
                                           r.participants, key=f"t_pa_{r.level}"))
                   for r in current.rows}
            if st.button("Lưu lịch đã sửa", key="t_save_schedule"):
                rows = [campaign.edit_row(r, deadline=new[r.level][0],
                                          participants=new[r.level][1]) for r in current.rows]
                try:
                    campaign.save_schedule(db, actor, current.id, rows)
                    _flash("success", "Đã lưu lịch.")
                    st.rerun()
                except HoctapError as err:
                    st.error(escape_md(str(err)))
        return
    kb = shared().knowledge()
    found = plans(kb.passages, {s: r.meta for s, r in kb.records.items()})
    if not found:
        st.info("Thư viện chưa có kế hoạch nào nêu lịch học tập theo từng cấp.")
        return
    source = st.selectbox("Kế hoạch trong thư viện", [p.source for p in found],
                          key="t_plan_source", placeholder="Chọn kế hoạch")
    proposal = pick(found, source)
    st.markdown(f"**Lịch đề xuất từ {escape_md(proposal.source)}** "
                f"({escape_md(proposal.number or '')}) — mỗi dòng trích từ văn bản:")
    _table(views.schedule_rows(proposal.rows))
    for r in proposal.rows:
        st.caption(f"{LEVEL_NAMES[r.level]}: «{escape_md(r.quote)}»")
    if st.button("Xác nhận lịch", type="primary", key="t_confirm"):
        try:
            campaign.create_campaign(db, actor, proposal, confirm=True)
            _flash("success", "Đã xác nhận lịch theo dõi học tập.")
            st.rerun()
        except HoctapError as err:
            st.error(escape_md(str(err)))


def _report_form(db: Database, actor: access.Actor, cid: int, unit_code: str) -> None:
    existing = rp.reports_of(db, actor, cid, unit_code)
    if PICK in st.session_state:  # set before the box is drawn: Streamlit allows it only then
        st.session_state[f"t_pick_{unit_code}"] = st.session_state.pop(PICK)
    editing = st.session_state.get(EDIT)
    base = next((r for r in existing if editing and r.id == editing[0]), None)
    if existing:
        _table([{"Số": r.id, "Ngày": f"{r.data.held_on:%d/%m/%Y}",
                 "Hình thức": FORMS[r.data.form], "Tham gia": r.data.participants,
                 "Thu hoạch": f"{r.data.thu_hoach_written}/{r.data.thu_hoach_required}",
                 "Người sửa cuối": r.updated_by, "Phiên bản": r.version} for r in existing])
        pick_id = st.selectbox("Sửa báo cáo", [None] + [r.id for r in existing],
                               format_func=lambda i: "— thêm buổi mới —" if i is None
                               else f"báo cáo số {i}", key=f"t_pick_{unit_code}",
                               placeholder="Chọn báo cáo")
        if pick_id is not None and (editing is None or editing[0] != pick_id):
            chosen = next(r for r in existing if r.id == pick_id)
            st.session_state[EDIT] = (chosen.id, chosen.version)
            st.rerun()
        if pick_id is None and editing is not None:
            del st.session_state[EDIT]
            st.rerun()
    if base is not None:
        with st.expander("Lịch sử thay đổi của báo cáo này", key="t_trail_view"):
            _table([{"Lúc (giờ Việt Nam)": f"{vietnam_time(a.at):%H:%M %d/%m/%Y}",
                     "Người": a.actor, "Việc": ACTION_NAMES.get(a.action, a.action)}
                    for a in rp.audit_trail(db, base.id)])
    d = base.data if base else None
    # the fields' keys name the report and version they show: Streamlit keeps a keyed widget's
    # value across runs, so under one key a report picked later showed the previous values
    target = (base.id, editing[1]) if base and editing else None  # (report id, version read)
    tag = f"{target[0]}v{target[1]}" if target else "new"
    with st.form(f"t_report_{unit_code}"):
        held = st.date_input("Ngày học tập", d.held_on if d else vietnam_today(),
                             format="DD/MM/YYYY", key=f"t_r_date_{tag}")
        form = st.radio("Hình thức", list(FORMS), format_func=FORMS.get, horizontal=True,
                        index=list(FORMS).index(d.form) if d else 0, key=f"t_r_form_{tag}")
        c1, c2, c3 = st.columns(3)
        counts = {
            "can_bo": c1.number_input("Cán bộ", value=d.can_bo if d else 0, step=1,
                                      key=f"t_r_cb_{tag}"),
            "dang_vien": c2.number_input("Đảng viên", value=d.dang_vien if d else 0, step=1,
                                         key=f"t_r_dv_{tag}"),
            "hoi_vien": c3.number_input("Hội viên", value=d.hoi_vien if d else 0, step=1,
                                        key=f"t_r_hv_{tag}")}
        c4, c5 = st.columns(2)
        counts["thu_hoach_required"] = c4.number_input(
            "Số phải viết thu hoạch", value=d.thu_hoach_required if d else 0, step=1,
            key=f"t_r_req_{tag}")
        counts["thu_hoach_written"] = c5.number_input(
            "Số đã viết thu hoạch", value=d.thu_hoach_written if d else 0, step=1,
            key=f"t_r_done_{tag}")
        remarks = st.text_area("Nhận xét, kiến nghị", d.remarks if d else "",
                               key=f"t_r_remarks_{tag}")
        if st.form_submit_button("Lưu báo cáo", type="primary"):
            data = rp.ReportInput(held, form, remarks=remarks,
                                  **{k: int(v) for k, v in counts.items()})
            if target is not None and data == d:  # a second click, or nothing edited
                st.info(f"Không có thay đổi nào để lưu (báo cáo số {target[0]}).")
                return
            _save(db, actor, cid, unit_code, data, target, [r.id for r in existing])


def _save(db: Database, actor: access.Actor, cid: int, unit_code: str, data: rp.ReportInput,
          target: tuple[int, int] | None, known: list[int]) -> None:
    """Store the form: a change of report ``target`` (id, version read), or a new report when
    None; then the form edits the saved report, so a second click cannot add it again."""
    try:
        if target is not None:
            report_id = target[0]
            version = rp.update(db, actor, report_id, data, target[1])
            _flash("success", f"Đã lưu báo cáo số {report_id}.")
        else:
            report_id = rp.submit(db, actor, cid, unit_code, data)
            if report_id in known:  # the same figures as a stored report: nothing added
                _flash("info", f"Báo cáo này đã được lưu (báo cáo số {report_id}); không thêm "
                       "báo cáo trùng.")
            else:
                _flash("success", f"Đã lưu báo cáo số {report_id}.")
            version = rp.get_report(db, actor, report_id).version
    except HoctapError as err:
        st.error(escape_md(str(err)))
        return
    st.session_state[EDIT] = (report_id, version)
    st.session_state[PICK] = report_id
    st.rerun()


def _reports_tab(db: Database, actor: access.Actor, cid: int) -> None:
    if actor.is_organiser:
        unit_code = st.text_input("Mã đơn vị (ban tổ chức nhập thay)", key="t_r_unit").strip()
        if not unit_code:
            return
    else:
        unit_code = actor.unit_code or ""
    try:
        info = units.get_unit(db, unit_code)
        st.markdown(f"**{escape_md(info.name)}** ({escape_md(info.code)})")
        _report_form(db, actor, cid, unit_code)
    except HoctapError as err:
        st.error(escape_md(str(err)))


def _progress_tab(db: Database, actor: access.Actor) -> None:
    c = campaign.get_campaign(db)
    as_of = st.date_input("Tính đến ngày", vietnam_today(), format="DD/MM/YYYY", key="t_as_of")
    root = None
    if not actor.is_organiser:
        root = actor.unit_code
    trail = st.session_state.setdefault("t_trail", [])
    root = trail[-1] if trail and actor.is_organiser else root
    p = progress(db, c, as_of, root)
    st.markdown(f"### {escape_md(p.root_name)}")
    if trail and actor.is_organiser and st.button("← Lên cấp trên", key="t_up"):
        trail.pop()
        st.rerun()
    _table(views.level_rows(p))
    chart = views.chart_rows(p)
    if chart:
        st.vega_lite_chart(chart, views.chart_spec(), width="stretch",
                           alt="Số đơn vị của từng cấp theo tình trạng học tập")
    if p.children:
        st.markdown("**Đơn vị trực thuộc**")
        _table(views.child_rows(p))  # like the levels above: wraps to fit, scrolls on a phone
        drill = st.selectbox("Xem chi tiết đơn vị", [None] + [ch.code for ch in p.children],
                             format_func=lambda k: "—" if k is None else k, key="t_drill",
                             placeholder="Chọn đơn vị")
        if drill and actor.is_organiser:
            trail.append(drill)
            st.session_state.pop("t_drill")
            st.rerun()
    st.markdown(f"**Đơn vị chậm tiến độ: {p.behind_total}**")
    if p.behind:
        _table(views.behind_rows(p))
    header = export.ReportHeader(units.get_unit(db, p.root_code).name if p.root_code
                                 else c.place, place=c.place, date=as_of)
    d1, d2 = st.columns(2)
    # built only when clicked (on a thread of its own), not on every rerun of the page; a
    # download does not rerun the page ("ignore"). In a fresh-clone CI run the XLSX download
    # never came after the DOCX click's rerun; the rerun is the likely cause (not proven)
    d1.download_button("Tải báo cáo (DOCX)", lambda: export.to_docx(c, p, header),
                       "bao-cao.docx", key="t_dl_docx", on_click="ignore")
    d2.download_button("Tải số liệu (XLSX)", lambda: export.to_xlsx(c, p, header),
                       "bao-cao.xlsx", key="t_dl_xlsx", on_click="ignore")


st.title("Theo dõi học tập")
settings = shared().settings
try:
    db = _database(database_url(settings))
except HoctapError as err:
    st.error(escape_md(str(err)))
    st.stop()
flash.show(FLASH)
actor = _login(db)
if actor is None:
    st.stop()
try:
    cid = campaign.get_campaign(db).id
except HoctapError:
    cid = None
names = ["Tiến độ", "Báo cáo của đơn vị"] + (["Kế hoạch theo dõi", "Đơn vị"]
                                             if actor.is_organiser else [])
tabs = dict(zip(names, st.tabs(names), strict=True))
try:
    if actor.is_organiser:
        with tabs["Đơn vị"]:
            _units_tab(db)
        with tabs["Kế hoạch theo dõi"]:
            _schedule_tab(db, actor)
    with tabs["Tiến độ"]:
        if cid is None:
            st.info("Chưa có lịch theo dõi: ban tổ chức xác nhận lịch ở thẻ Kế hoạch theo dõi.")
        else:
            _progress_tab(db, actor)
    with tabs["Báo cáo của đơn vị"]:
        if cid is not None:
            _reports_tab(db, actor, cid)
except HoctapError as err:
    st.error(escape_md(str(err)))
