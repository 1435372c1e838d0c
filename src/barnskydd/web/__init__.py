"""The social worker's desk: server-rendered Swedish web app on the case service layer."""
