"""Roles, the BPMN lanes they work, and what each may do."""

from engine.core.localtime import N_

APPLICANT = "pemohon"
FRONT_OFFICE = "front_office"
TECHNICAL = "tim_teknis"
TREASURER = "bendahara"
HEAD = "kepala_dinas"
ADMIN = "admin"
PROCESS_ADMIN = "admin_proses"
SUPERVISOR = "pengawas"
# Employees of another agency (the health office for SIP, public works for building permits) who
# read the applications of the permit types they are granted (R5.2).
RELATED_AGENCY = "instansi_terkait"

STAFF_ROLES = (FRONT_OFFICE, TECHNICAL, TREASURER, HEAD)
ALL_ROLES = (APPLICANT, *STAFF_ROLES, SUPERVISOR, RELATED_AGENCY, PROCESS_ADMIN, ADMIN)
# Roles that read applications, each only within the permit types the account is assigned to.
SCOPED_ROLES = (*STAFF_ROLES, SUPERVISOR, RELATED_AGENCY)

ROLE_LABELS = {
    APPLICANT: N_("Pemohon"),
    FRONT_OFFICE: N_("Front Office"),
    TECHNICAL: N_("Tim Teknis"),
    TREASURER: N_("Penetapan Retribusi / Bendahara"),
    HEAD: N_("Kepala Dinas"),
    SUPERVISOR: N_("Pengawas Layanan"),
    RELATED_AGENCY: N_("Instansi Terkait"),
    PROCESS_ADMIN: N_("Admin Proses"),
    ADMIN: N_("Administrator"),
}

# Lane names as process admins write them in the diagram (SpiffWorkflow reports the lane's name).
LANE_ROLES = {
    "Pemohon": APPLICANT,
    "Front Office": FRONT_OFFICE,
    "Tim Teknis": TECHNICAL,
    "Penetapan Retribusi": TREASURER,
    "Bendahara": TREASURER,
    "Kepala Dinas": HEAD,
}

# Declared permissions per role; blueprints and API endpoints name the one they need.
PERMISSIONS = {
    "apply": {APPLICANT},
    "work_tasks": set(STAFF_ROLES),
    "manage_users": {ADMIN},
    "manage_processes": {PROCESS_ADMIN, ADMIN},
    "view_reports": {SUPERVISOR, HEAD, ADMIN},
    "read_granted": {RELATED_AGENCY},
    # The help desk: applicants ask for consultation, staff ask the admins; everyone signed in.
    "ask_help": set(ALL_ROLES),
}


def role_for_lane(lane: str | None) -> str | None:
    return LANE_ROLES.get((lane or "").strip())


def may(roles: set[str], permission: str) -> bool:
    return bool(roles & PERMISSIONS[permission])
