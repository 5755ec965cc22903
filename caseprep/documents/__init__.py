"""Documents: drafts (police report, civil complaint, takedown notices, evidence checklist and
list) as HTML, PDF and DOCX, and the case packet. No Flask imports.

Where each step lives: `service.plan` decides from an assessment which documents a case needs,
`service.build_documents` fills one `model.Document` per draft, `html.render_html`,
`pdf.render_pdf` and `docx.render_docx` render it, `packet.build_packet` zips a packet, and
`service.generate` does all of it (in `render_pool` worker processes for a packet).
`case_documents` and `generation_job` are the front ends' entry points for one stored case.
"""
