"""The compliance report (D11): what it says as of a date (`content`, from the dashboard's read
side), its PDF in the official layout and its XLSX (`pdf`, `xlsx`), the job that compiles one
(`jobs`, run by Celery from `tasks`), the writes (`services`), and the pages and API."""
