import pytest
from django.contrib.auth import get_user_model

from gongkai.agencies import access
from gongkai.agencies.models import Agency, AgencyKind, Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")
    district = Agency.objects.create(
        name="某区人民政府", kind=AgencyKind.GOVERNMENT, parent=city, tracking_prefix="区政依申"
    )
    dept = Agency.objects.create(
        name="某区教育局", kind=AgencyKind.DEPARTMENT, parent=district, tracking_prefix="区教依申"
    )
    other = Agency.objects.create(
        name="另一区人民政府", kind=AgencyKind.GOVERNMENT, parent=city, tracking_prefix="另政依申"
    )
    return city, district, dept, other


def test_subtree_is_a_path_prefix(tree):
    city, district, dept, other = tree
    assert set(district.subtree()) == {district, dept}
    assert set(city.subtree()) == {city, district, dept, other}
    assert list(dept.ancestors()) == [city, district, dept]


def test_moving_an_agency_moves_its_subtree(tree):
    city, district, dept, other = tree
    district.parent = other
    district.save()
    dept.refresh_from_db()
    assert dept.path.startswith(other.path)
    assert set(other.subtree()) == {other, district, dept}


def test_resaving_and_moving_rules(tree):
    city, district, dept, other = tree
    dept.phone = "0591-1234567"
    dept.save()  # an unchanged place in the tree is not a move
    dept.refresh_from_db()
    assert dept.phone == "0591-1234567" and dept.path.startswith(district.path)
    district.parent = dept
    with pytest.raises(ValueError):
        district.save()  # under its own subtree


def test_supervisor_reads_subtree_but_acts_nowhere(tree):
    city, district, dept, other = tree
    user = get_user_model().objects.create_user("sup")
    Membership.objects.create(user=user, agency=district, role=Role.SUPERVISOR)
    assert access.visible_agency_ids(user) == {district.pk, dept.pk}
    assert access.acting_agency_ids(user) == set()
    assert not access.has_role(user, dept.pk, Role.HANDLER)


def test_handler_acts_only_in_own_agency(tree):
    city, district, dept, other = tree
    user = get_user_model().objects.create_user("h")
    Membership.objects.create(user=user, agency=dept, role=Role.HANDLER)
    assert access.visible_agency_ids(user) == {dept.pk}
    assert access.has_role(user, dept.pk, Role.HANDLER)
    assert not access.has_role(user, dept.pk, Role.HEAD)
    assert not access.has_role(user, district.pk, Role.HANDLER)
