"""Steps shared by the browser tests (log in and out of the workbench)."""


def login(page, base, username, password="pw-123456"):
    page.goto(base + "/workbench/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_selector("#queue")


def logout(page):
    page.click(".site-user button")
    page.wait_for_selector("#id_username")
