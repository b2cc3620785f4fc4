"""Staff pages of records in the workbench (工作台 · 政府信息): list and queue, editor, lifecycle
actions, attachments, clean-up campaigns. Supervisors read their subtree; nobody outside sees."""
