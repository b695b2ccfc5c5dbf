"""Words for the standard preparation checklist, in each language the app speaks."""

STANDARD_ITEMS = {
    "stop_solid_food": {
        "en": "Stop eating solid food at {time}",
        "es": "Deje de comer alimentos sólidos a las {time}",
    },
    "stop_clear_liquids": {
        "en": "Stop drinking clear liquids at {time}",
        "es": "Deje de tomar líquidos claros a las {time}",
    },
    "ride_home": {
        "en": "Arrange for an adult to take you home",
        "es": "Organice que un adulto le lleve a casa",
    },
    "no_driving": {
        "en": "No driving until the next day, after a full night's sleep",
        "es": "No conduzca hasta el día siguiente, después de dormir una noche completa",
    },
    "medication_list": {
        "en": "Bring your up-to-date medication list",
        "es": "Traiga su lista de medicamentos actualizada",
    },
}

DAY_BEFORE = {"en": " (the day before)", "es": " (el día anterior)"}
