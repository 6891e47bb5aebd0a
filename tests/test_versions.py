import pytest

from opendata.versions import Bump, NotSemver, Version


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "1.0.0-rc1", "01.0.0", "", "1.0.0.0"])
def test_versions_that_are_not_semver_are_refused(text):
    with pytest.raises(NotSemver, match="is not a semantic version"):
        Version.parse(text)


@pytest.mark.parametrize("bump", list(Bump))
def test_bumping_then_measuring_gives_the_bump_back(bump):
    version = Version.parse("1.4.2")
    assert version.bump_to(version.bumped(bump)) is bump


def test_bumps_reset_lower_parts():
    version = Version.parse("1.4.2")
    assert [str(version.bumped(b)) for b in (Bump.PATCH, Bump.MINOR, Bump.MAJOR)] == [
        "1.4.3", "1.5.0", "2.0.0"]
