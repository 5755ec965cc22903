"""The Flask application shell both front ends (caseprep.web, caseprep.api) plug into.

Extensions and the request's database session (`extensions`), locale choice and catalogs
(`i18n`), headers, rate-limit keys, error pages and the encrypted session cookie (`security`,
`session_cookie`), and the request class whose uploads never touch the disk in clear
(`upload_spool`). `caseprep.create_app` calls each module's `init_app`.
"""
