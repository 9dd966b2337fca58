"""Calendar items: parsing SetAppointmentRequest invites, expanding instances, rendering them."""
