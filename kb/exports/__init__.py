"""Exports (issue 11 §2): an account's workbook, the account list and search results as .xlsx or .csv.

What goes in is read through the same query helpers the pages use (kb.services.*, kb.search), which apply
kb.policy's rules, so an export never holds what its reader may not see. `cells` keeps spreadsheet
programs from running what users typed (formula injection); `writers` turns rows into bounded xlsx/csv.
"""
