"""Every location of a project, in one place. Nothing depends on the current directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from opendata.exceptions import NotBuilt, ProjectNotFound


@dataclass(frozen=True)
class Project:
    """The layout of an opendata project rooted at ``root``."""

    root: Path

    @classmethod
    def at(cls, root: str | Path) -> Project:
        """The project at ``root``; raises ProjectNotFound when it has no package.yaml."""
        project = cls(Path(root).resolve())
        if not project.package_config.is_file():
            raise ProjectNotFound(
                f"{project.root} is not an opendata project: {project.package_config.name} "
                f"is missing from {project.curation}. Run the command from the project "
                "folder or pass --project.")
        return project

    @classmethod
    def owning(cls, path: str | Path) -> Project | None:
        """The project whose root is ``path`` or holds the file ``path``; None when none is."""
        path = Path(path).resolve()
        for root in (path, path.parent):
            if (root / "curation" / "package.yaml").is_file():
                return cls(root)
        return None

    @property
    def curation(self) -> Path:
        return self.root / "curation"

    @property
    def package_config(self) -> Path:
        return self.curation / "package.yaml"

    def curated(self, name: str) -> Path:
        """The curation file of one table (``results`` → curation/results.yaml)."""
        return self.curation / f"{name}.yaml"

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"

    def schema(self, name: str) -> Path:
        """The resource template of one table (``results`` → schemas/results.json)."""
        return self.schemas / f"{name}.json"

    @property
    def exclusions(self) -> Path:
        return self.curation / "exclusions.yaml"

    @property
    def catalog(self) -> Path:
        return self.root / "locales" / "en" / "LC_MESSAGES" / "messages.po"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def descriptor(self) -> Path:
        return self.root / "datapackage.json"

    def built_descriptor(self) -> Path:
        """The descriptor; raises NotBuilt when the package has not been built yet."""
        if not self.descriptor.is_file():
            raise NotBuilt(f"{self.relative(self.descriptor)} does not exist in {self.root}; "
                           "run `opendata build` first")
        return self.descriptor

    @property
    def site(self) -> Path:
        return self.root / "site"

    def table(self, name: str) -> Path:
        """The built CSV of one table."""
        return self.data / f"{name}.csv"

    def relative(self, path: Path) -> str:
        """``path`` as shown to people and written into the descriptor: POSIX, root-relative."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
