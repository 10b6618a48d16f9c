"""Hearth's starter library: a few short resources in plain words, in English and Spanish,
offered in every program (program empty). Staff add their own program's resources."""

from django.db import migrations

STARTER = [
    {
        "slug": "riding-out-a-craving",
        "kind": "article",
        "topics": ["cravings", "coping"],
        "phase": "early",
        "en": {
            "title": "Riding out a craving",
            "summary": "Cravings rise, peak and pass, often within 20 minutes. Here is how to wait one out.",
            "body": (
                "A craving can feel like it will last forever. It will not. Most cravings rise, "
                "reach a peak and fade within 15 to 20 minutes, like a wave.\n\n"
                'When one starts: notice it and name it ("this is a craving"). Sit or stand '
                "comfortably. Breathe slowly. Notice where you feel it in your body. You do not have "
                "to fight it and you do not have to act on it. Just watch it change.\n\n"
                "It can help to move your body, drink a glass of water, or message someone. Each "
                "craving you ride out makes the next one a little easier."
            ),
            "prompts": [
                "When did you last notice a craving, and what was going on?",
                "What helped, even a little?",
                "What will you try next time?",
            ],
        },
        "es": {
            "title": "Cómo dejar pasar un antojo",
            "summary": "Los antojos suben, llegan a su punto más alto y bajan, muchas veces en 20 minutos. Así puedes esperar a que pase.",
            "body": (
                "Un antojo puede sentirse como si nunca fuera a terminar. Sí termina. La mayoría de "
                "los antojos suben, llegan a su punto más alto y bajan en 15 a 20 minutos, como una ola.\n\n"
                'Cuando empiece: nótalo y ponle nombre ("esto es un antojo"). Busca una postura '
                "cómoda. Respira despacio. Nota en qué parte del cuerpo lo sientes. No tienes que "
                "pelear con él ni hacerle caso. Solo obsérvalo cambiar.\n\n"
                "Puede ayudarte mover el cuerpo, tomar un vaso de agua o escribirle a alguien. Cada "
                "antojo que dejas pasar hace que el siguiente sea un poco más fácil."
            ),
            "prompts": [
                "¿Cuándo notaste un antojo por última vez y qué estaba pasando?",
                "¿Qué te ayudó, aunque fuera un poco?",
                "¿Qué vas a intentar la próxima vez?",
            ],
        },
    },
    {
        "slug": "halt",
        "kind": "article",
        "topics": ["coping", "self_care"],
        "phase": "any",
        "en": {
            "title": "HALT: four questions for hard moments",
            "summary": "Hungry, angry, lonely or tired? Each one makes urges stronger, and each has a simple fix.",
            "body": (
                "HALT stands for Hungry, Angry, Lonely and Tired. When you feel off, ask yourself "
                "each one.\n\n"
                "Hungry: eat something simple. Angry: take ten minutes before you answer anyone, "
                "and write down what happened. Lonely: reach out to one person, even with a short "
                "message. Tired: rest if you can, and let big decisions wait.\n\n"
                "You can use the HALT check in your toolkit any time."
            ),
            "prompts": ["Which of the four shows up most for you?", "What is one way you can look after it this week?"],
        },
        "es": {
            "title": "HALT: cuatro preguntas para momentos difíciles",
            "summary": "¿Hambre, enojo, soledad o cansancio? Cada uno hace más fuertes los antojos, y cada uno tiene un remedio sencillo.",
            "body": (
                "HALT viene del inglés: Hungry (hambre), Angry (enojo), Lonely (soledad) y Tired "
                "(cansancio). Cuando te sientas mal, pregúntate por cada uno.\n\n"
                "Hambre: come algo sencillo. Enojo: tómate diez minutos antes de responderle a "
                "alguien y escribe lo que pasó. Soledad: busca a una persona, aunque sea con un "
                "mensaje corto. Cansancio: descansa si puedes y deja las decisiones grandes para después.\n\n"
                "Puedes usar la revisión HALT de tu caja de herramientas cuando quieras."
            ),
            "prompts": [
                "¿Cuál de los cuatro te pasa más seguido?",
                "¿Qué puedes hacer esta semana para cuidarte en eso?",
            ],
        },
    },
    {
        "slug": "high-risk-plan",
        "kind": "worksheet",
        "topics": ["relapse_prevention"],
        "phase": "ongoing",
        "en": {
            "title": "My plan for high-risk moments",
            "summary": "A short worksheet: know your risky moments and decide ahead what you will do.",
            "body": (
                "Some people, places and feelings make using more likely. Knowing yours ahead of "
                "time means you can plan, instead of deciding in the moment.\n\n"
                "Answer the questions below. There are no wrong answers. Bring them to your next "
                "session if you like."
            ),
            "prompts": [
                "Which people, places or times are risky for you?",
                "What are your early warning signs?",
                "What will you do instead, and who can you call?",
            ],
        },
        "es": {
            "title": "Mi plan para momentos de riesgo",
            "summary": "Una hoja de trabajo corta: conoce tus momentos de riesgo y decide con tiempo qué vas a hacer.",
            "body": (
                "Algunas personas, lugares y emociones hacen más probable el consumo. Conocer los "
                "tuyos con tiempo te permite planear, en lugar de decidir en el momento.\n\n"
                "Responde las preguntas de abajo. No hay respuestas incorrectas. Si quieres, "
                "llévalas a tu próxima sesión."
            ),
            "prompts": [
                "¿Qué personas, lugares u horas son de riesgo para ti?",
                "¿Cuáles son tus primeras señales de alerta?",
                "¿Qué vas a hacer en su lugar y a quién puedes llamar?",
            ],
        },
    },
    {
        "slug": "mutual-help-meetings",
        "kind": "article",
        "topics": ["connection"],
        "phase": "continuing",
        "url": "https://www.smartrecovery.org/",
        "en": {
            "title": "Finding a mutual-help meeting",
            "summary": "Free meetings, in person and online, where people in recovery support each other.",
            "body": (
                "Many people find support in meetings outside the program. They are free, and many "
                "meet online.\n\n"
                "Alcoholics Anonymous (aa.org) and Narcotics Anonymous (na.org) follow the 12 steps. "
                "SMART Recovery (smartrecovery.org) uses practical tools and no steps. Recovery "
                "Dharma (recoverydharma.org) uses meditation.\n\n"
                "Try a few. It is fine to just listen. Ask your care team if you want help choosing."
            ),
            "prompts": ["Which meeting would you like to try, and when?"],
        },
        "es": {
            "title": "Cómo encontrar un grupo de ayuda mutua",
            "summary": "Reuniones gratuitas, en persona y en línea, donde personas en recuperación se apoyan entre sí.",
            "body": (
                "Muchas personas encuentran apoyo en reuniones fuera del programa. Son gratuitas y "
                "muchas son en línea.\n\n"
                "Alcohólicos Anónimos (aa.org) y Narcóticos Anónimos (na.org) siguen los 12 pasos. "
                "SMART Recovery (smartrecovery.org) usa herramientas prácticas y no tiene pasos. "
                "Recovery Dharma (recoverydharma.org) usa la meditación.\n\n"
                "Prueba algunas. Está bien solo escuchar. Pide ayuda a tu equipo si quieres elegir una."
            ),
            "prompts": ["¿A qué reunión te gustaría ir y cuándo?"],
        },
    },
]


def load(apps, schema_editor):
    Resource = apps.get_model("toolkit", "Resource")
    for item in STARTER:
        for language in ("en", "es"):
            text = item[language]
            Resource.objects.update_or_create(
                program=None,
                slug=item["slug"],
                language=language,
                defaults={
                    "kind": item["kind"],
                    "topics": item["topics"],
                    "phase": item["phase"],
                    "url": item.get("url", ""),
                    **text,
                },
            )


def unload(apps, schema_editor):
    Resource = apps.get_model("toolkit", "Resource")
    Resource.objects.filter(program=None, slug__in=[item["slug"] for item in STARTER]).delete()


class Migration(migrations.Migration):
    dependencies = [("toolkit", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
