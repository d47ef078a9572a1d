"""A person's page shows what other areas hold on them (drill.accounts.profile): their exam certificates."""

from datetime import UTC, date, datetime

from tests.appraisal.world import import_shipped_quizzes, released_exam, versions


def test_a_person_s_page_lists_their_certificates_and_only_theirs(client, db, login, make_user):
    import_shipped_quizzes()
    admin = make_user("A01", roles={"admin"}, branch="head")
    holder, other = make_user("M001"), make_user("M002")
    (question,) = versions(1)
    _, _, certificate = released_exam(
        admin, holder, date(2025, 2, 20), [(question.id, 100, 90)], "intermediate", "personal"
    )
    certificate.revoked_at, certificate.revoked_reason = datetime(2025, 3, 1, tzinfo=UTC), "复核撤销"
    db.session.commit()
    login(admin)

    page = client.get(f"/users/{holder.id}").get_data(as_text=True)
    assert "证书" in page and certificate.number in page and "已撤销" in page
    assert f"/exams/certificates/{certificate.number}" in page

    page = client.get(f"/users/{other.id}").get_data(as_text=True)
    assert certificate.number not in page and ">证书<" not in page
