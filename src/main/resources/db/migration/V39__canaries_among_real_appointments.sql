-- Canaries that cannot be told apart (issue #14). Until now decoys were booked at night, 13 to 30
-- months back or 13 to 24 months ahead, on one agenda: public rules that a careful sweep skips. The
-- canary keeper now lays them among each agenda's real past appointments, in their shape; the old
-- ones go, and the next seeding pass (at start, then daily) lays the new ones.
DELETE FROM appointment WHERE decoy;
DELETE FROM org_patient WHERE decoy;

-- The keeper looks for an agenda's latest decoy at every pass.
CREATE INDEX appointment_agenda_decoy_idx ON appointment (organization_id, practitioner_id, start_at) WHERE decoy;
