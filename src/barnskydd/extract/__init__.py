"""The register extract (registerutdrag): everything held about one person, reviewed, as PDF."""
